package io.jenkins.plugins.kmssecrets.jenkins.config;

import hudson.Extension;
import hudson.Util;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import io.jenkins.plugins.kmssecrets.store.StoreDefinitionBuilder;
import java.util.List;
import java.util.Map;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * A HashiCorp Vault KV engine. How it signs in is a {@link VaultSignIn} mode: a token ("secret text" credential),
 * AppRole (secret id from a credential, role id typed or the user name of a "username with password" credential) or
 * Kubernetes (the controller pod's service account, with a role).
 */
public class VaultStoreConfig extends KmsStoreConfig {

    static final String TOKEN_ENV = "KMS_SECRETS_VAULT_TOKEN";
    static final String SECRET_ID_ENV = "KMS_SECRETS_VAULT_SECRET_ID";

    private final String address;
    private String namespace;
    private String mount;
    private VaultSignIn signIn;
    private String kvVersion;
    private String prefix;
    private String caCertFile;

    /** Before sign-in modes were nested: read from old {@code config.xml} files and old JCasC, never written. */
    @Deprecated
    private transient String authMethod;
    @Deprecated
    private transient String role;
    @Deprecated
    private transient String credentialsId;

    @DataBoundConstructor
    public VaultStoreConfig(String id, String address) {
        super(id);
        this.address = Util.fixEmptyAndTrim(address);
    }

    public String getAddress() {
        return address;
    }

    public String getNamespace() {
        return namespace;
    }

    @DataBoundSetter
    public void setNamespace(String namespace) {
        this.namespace = Util.fixEmptyAndTrim(namespace);
    }

    public String getMount() {
        return mount;
    }

    @DataBoundSetter
    public void setMount(String mount) {
        this.mount = Util.fixEmptyAndTrim(mount);
    }

    /** How the store signs in; never {@code null} (default: a token, whose credential must then be set). */
    public VaultSignIn getSignIn() {
        return signIn == null ? new VaultSignIn.Token(null) : signIn;
    }

    @DataBoundSetter
    public void setSignIn(VaultSignIn signIn) {
        this.signIn = signIn;
    }

    /** Converts a {@code config.xml} written before sign-in modes were nested. */
    protected Object readResolve() {
        if (signIn == null && (authMethod != null || role != null || credentialsId != null)) {
            signIn = VaultSignIn.fromFlat(authMethod, role, credentialsId);
        }
        authMethod = role = credentialsId = null;
        return this;
    }

    private void flat() {
        signIn = VaultSignIn.fromFlat(authMethod, role, credentialsId);
    }

    /**
     * Deprecated flat attribute of earlier releases (JCasC {@code authMethod}: token, approle or kubernetes); use
     * {@link #setSignIn}. With {@code role} and {@code credentialsId} it selects the sign-in mode. The getters of the
     * flat attributes answer {@code null} so that exports show only {@code signIn}. Not annotated {@code @Deprecated}:
     * JCasC refuses attributes so annotated by default, and existing {@code jenkins.yaml} files must keep applying.
     */
    @DataBoundSetter
    public void setAuthMethod(String authMethod) {
        this.authMethod = Util.fixEmptyAndTrim(authMethod);
        flat();
    }

    /** Always {@code null}: see {@link #getSignIn()}. */
    @Deprecated
    public String getAuthMethod() {
        return null;
    }

    /** Deprecated flat attribute; see {@link #setAuthMethod}. */
    @DataBoundSetter
    public void setRole(String role) {
        this.role = Util.fixEmptyAndTrim(role);
        flat();
    }

    /** Always {@code null}: see {@link #getSignIn()}. */
    @Deprecated
    public String getRole() {
        return null;
    }

    /** Deprecated flat attribute; see {@link #setAuthMethod}. */
    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
        flat();
    }

    /** Always {@code null}: see {@link #getSignIn()}. */
    @Deprecated
    public String getCredentialsId() {
        return null;
    }

    /** KV engine version, {@code 2} (default) or {@code 1}. */
    public String getKvVersion() {
        return kvVersion;
    }

    @DataBoundSetter
    public void setKvVersion(String kvVersion) {
        this.kvVersion = Util.fixEmptyAndTrim(kvVersion);
    }

    /** Where listing starts inside the mount; default the mount's root. */
    public String getPrefix() {
        return prefix;
    }

    @DataBoundSetter
    public void setPrefix(String prefix) {
        this.prefix = Util.fixEmptyAndTrim(prefix);
    }

    /** A PEM CA file on the controller to trust for the Vault server; default the JVM trust store. */
    public String getCaCertFile() {
        return caCertFile;
    }

    @DataBoundSetter
    public void setCaCertFile(String caCertFile) {
        this.caCertFile = Util.fixEmptyAndTrim(caCertFile);
    }

    @Override
    public String storeType() {
        return "vault";
    }

    @Override
    protected boolean usesHttp() {
        return true;
    }

    @Override
    protected void settings(StoreDefinitionBuilder builder) {
        builder.set("address", address)
                .set("namespace", namespace)
                .set("mount", mount)
                .set("kvVersion", kvVersion)
                .set("prefix", prefix)
                .set("caCertFile", caCertFile);
        getSignIn().settings(builder);
    }

    @Override
    protected void authentication(StoreDefinitionBuilder builder, Map<String, String> environment) {
        getSignIn().environment(getId(), builder, environment);
    }

    @Extension
    @Symbol("vault")
    public static class DescriptorImpl extends KmsStoreDescriptor {

        @Override
        public String getDisplayName() {
            return Messages.VaultStoreConfig_displayName();
        }

        /** The sign-in modes, in the form's order. */
        public List<Descriptor<VaultSignIn>> getSignInDescriptors() {
            return SignInDescriptor.ordered(VaultSignIn.class, VaultSignIn.ORDER);
        }

        public FormValidation doCheckAddress(@QueryParameter String value) {
            String url = Util.fixEmptyAndTrim(value);
            if (url == null) {
                return FormValidation.error(Messages.VaultStoreConfig_addressRequired());
            }
            return url.startsWith("https://") || url.startsWith("http://") ? FormValidation.ok()
                    : FormValidation.error(Messages.VaultStoreConfig_addressUrl());
        }
    }
}
