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
 * An Azure Key Vault. How it signs in is an {@link AzureSignIn} mode (default chain, managed identity, workload
 * identity, Azure CLI, client secret from a Jenkins credential, client certificate file on the controller); the
 * authority host applies to every mode that talks to Microsoft Entra, so it stays on the store.
 */
public class AzureKeyVaultStoreConfig extends KmsStoreConfig {

    /** The environment variable the client secret is handed to the store in; private to the store's context. */
    static final String CLIENT_SECRET_ENV = "KMS_SECRETS_AZURE_CLIENT_SECRET";

    private final String vaultUrl;
    private AzureSignIn signIn;
    private String authorityHost;
    private String caCertFile;

    /** Before sign-in modes were nested: read from old {@code config.xml} files and old JCasC, never written. */
    @Deprecated
    private transient String auth;
    @Deprecated
    private transient String tenantId;
    @Deprecated
    private transient String clientId;
    @Deprecated
    private transient String credentialsId;
    @Deprecated
    private transient String clientCertificatePath;

    @DataBoundConstructor
    public AzureKeyVaultStoreConfig(String id, String vaultUrl) {
        super(id);
        this.vaultUrl = Util.fixEmptyAndTrim(vaultUrl);
    }

    public String getVaultUrl() {
        return vaultUrl;
    }

    /** How the store signs in; never {@code null} (default: the default credential chain). */
    public AzureSignIn getSignIn() {
        return signIn == null ? new AzureSignIn.DefaultChain() : signIn;
    }

    @DataBoundSetter
    public void setSignIn(AzureSignIn signIn) {
        this.signIn = signIn;
    }

    /** Converts a {@code config.xml} written before sign-in modes were nested. */
    protected Object readResolve() {
        if (signIn == null && (auth != null || tenantId != null || clientId != null || credentialsId != null
                || clientCertificatePath != null)) {
            signIn = AzureSignIn.fromFlat(auth, tenantId, clientId, credentialsId, clientCertificatePath);
        }
        auth = tenantId = clientId = credentialsId = clientCertificatePath = null;
        return this;
    }

    private void flat() {
        signIn = AzureSignIn.fromFlat(auth, tenantId, clientId, credentialsId, clientCertificatePath);
    }

    /**
     * Deprecated flat attribute of earlier releases (JCasC {@code auth}); use {@link #setSignIn}. Together with the
     * other flat attributes it selects the sign-in mode. The getters of the flat attributes answer {@code null} so that
     * exports show only {@code signIn}. The setters are deliberately not annotated {@code @Deprecated}: JCasC refuses
     * attributes so annotated by default, and existing {@code jenkins.yaml} files must keep applying.
     */
    @DataBoundSetter
    public void setAuth(String auth) {
        this.auth = Util.fixEmptyAndTrim(auth);
        flat();
    }

    /** Always {@code null}: see {@link #getSignIn()}. */
    @Deprecated
    public String getAuth() {
        return null;
    }

    /** Deprecated flat attribute; see {@link #setAuth}. */
    @DataBoundSetter
    public void setTenantId(String tenantId) {
        this.tenantId = Util.fixEmptyAndTrim(tenantId);
        flat();
    }

    /** Always {@code null}: see {@link #getSignIn()}. */
    @Deprecated
    public String getTenantId() {
        return null;
    }

    /** Deprecated flat attribute; see {@link #setAuth}. */
    @DataBoundSetter
    public void setClientId(String clientId) {
        this.clientId = Util.fixEmptyAndTrim(clientId);
        flat();
    }

    /** Always {@code null}: see {@link #getSignIn()}. */
    @Deprecated
    public String getClientId() {
        return null;
    }

    /** Deprecated flat attribute; see {@link #setAuth}. */
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

    /** Deprecated flat attribute; see {@link #setAuth}. */
    @DataBoundSetter
    public void setClientCertificatePath(String clientCertificatePath) {
        this.clientCertificatePath = Util.fixEmptyAndTrim(clientCertificatePath);
        flat();
    }

    /** Always {@code null}: see {@link #getSignIn()}. */
    @Deprecated
    public String getClientCertificatePath() {
        return null;
    }

    /** The Microsoft Entra authority (sovereign clouds); {@code null} for the public cloud's. */
    public String getAuthorityHost() {
        return authorityHost;
    }

    @DataBoundSetter
    public void setAuthorityHost(String authorityHost) {
        this.authorityHost = Util.fixEmptyAndTrim(authorityHost);
    }

    public String getCaCertFile() {
        return caCertFile;
    }

    /** A PEM file on the controller with the CA certificate(s) trusted instead of the JVM trust store. */
    @DataBoundSetter
    public void setCaCertFile(String caCertFile) {
        this.caCertFile = Util.fixEmptyAndTrim(caCertFile);
    }

    @Override
    public String storeType() {
        return "azure-key-vault";
    }

    @Override
    protected boolean usesHttp() {
        return true;
    }

    @Override
    protected void settings(StoreDefinitionBuilder builder) {
        builder.set("vaultUrl", vaultUrl)
                .set("authorityHost", authorityHost)
                .set("caCertFile", caCertFile);
        getSignIn().settings(builder);
    }

    @Override
    protected void authentication(StoreDefinitionBuilder builder, Map<String, String> environment) {
        getSignIn().environment(getId(), builder, environment);
    }

    @Extension
    @Symbol("azureKeyVault")
    public static class DescriptorImpl extends KmsStoreDescriptor {

        @Override
        public String getDisplayName() {
            return Messages.AzureKeyVaultStoreConfig_displayName();
        }

        /** The sign-in modes, in the form's order. */
        public List<Descriptor<AzureSignIn>> getSignInDescriptors() {
            return SignInDescriptor.ordered(AzureSignIn.class, AzureSignIn.ORDER);
        }

        public FormValidation doCheckVaultUrl(@QueryParameter String value) {
            String url = Util.fixEmptyAndTrim(value);
            if (url == null) {
                return FormValidation.error(Messages.AzureKeyVaultStoreConfig_vaultUrlRequired());
            }
            return url.startsWith("https://") ? FormValidation.ok()
                    : FormValidation.error(Messages.AzureKeyVaultStoreConfig_vaultUrlHttps());
        }
    }
}
