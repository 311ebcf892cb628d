package io.jenkins.plugins.kmssecrets.jenkins.config;

import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.Extension;
import hudson.Util;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.StoreDefinitionBuilder;
import java.util.Map;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A HashiCorp Vault KV engine. Authentication: a token ("secret text" credential), AppRole (a "username with
 * password" credential: role id as username, secret id as password) or Kubernetes (the controller pod's service
 * account, with a role).
 */
public class VaultStoreConfig extends KmsStoreConfig {

    static final String TOKEN_ENV = "KMS_SECRETS_VAULT_TOKEN";
    static final String SECRET_ID_ENV = "KMS_SECRETS_VAULT_SECRET_ID";

    private final String address;
    private String namespace;
    private String mount;
    private String authMethod = "token";
    private String role;
    private String credentialsId;
    private String kvVersion;
    private String prefix;
    private String caCertFile;

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

    public String getAuthMethod() {
        return authMethod;
    }

    @DataBoundSetter
    public void setAuthMethod(String authMethod) {
        String value = Util.fixEmptyAndTrim(authMethod);
        this.authMethod = value == null ? "token" : value;
    }

    public String getRole() {
        return role;
    }

    @DataBoundSetter
    public void setRole(String role) {
        this.role = Util.fixEmptyAndTrim(role);
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
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
                .set("auth", authMethod == null ? "token" : authMethod)
                .set("role", role)
                .set("kvVersion", kvVersion)
                .set("prefix", prefix)
                .set("caCertFile", caCertFile);
    }

    @Override
    protected void authentication(StoreDefinitionBuilder builder, Map<String, String> environment) {
        switch (authMethod == null ? "token" : authMethod) {
            case "token" -> {
                if (credentialsId == null) {
                    throw new MisconfiguredException(getId(), null, "a token credential is required when the "
                            + "authentication method is token");
                }
                environment.put(TOKEN_ENV, StoreAuthentication.secretText(getId(), credentialsId));
                builder.set("tokenEnv", TOKEN_ENV);
            }
            case "approle" -> {
                if (credentialsId == null) {
                    throw new MisconfiguredException(getId(), null, "a username/password credential (role id and "
                            + "secret id) is required when the authentication method is approle");
                }
                StandardUsernamePasswordCredentials approle =
                        StoreAuthentication.usernamePassword(getId(), credentialsId);
                builder.set("roleId", approle.getUsername());
                environment.put(SECRET_ID_ENV, approle.getPassword().getPlainText());
                builder.set("secretIdEnv", SECRET_ID_ENV);
            }
            default -> {
                // kubernetes: the controller's service account token, read by the store itself.
            }
        }
    }

    @Extension
    @Symbol("vault")
    public static class DescriptorImpl extends KmsStoreDescriptor {

        @Override
        public String getDisplayName() {
            return Messages.VaultStoreConfig_displayName();
        }

        public ListBoxModel doFillAuthMethodItems() {
            ListBoxModel items = new ListBoxModel();
            items.add(Messages.VaultStoreConfig_authToken(), "token");
            items.add(Messages.VaultStoreConfig_authAppRole(), "approle");
            items.add(Messages.VaultStoreConfig_authKubernetes(), "kubernetes");
            return items;
        }

        public FormValidation doCheckAddress(@QueryParameter String value) {
            String url = Util.fixEmptyAndTrim(value);
            if (url == null) {
                return FormValidation.error(Messages.VaultStoreConfig_addressRequired());
            }
            return url.startsWith("https://") || url.startsWith("http://") ? FormValidation.ok()
                    : FormValidation.error(Messages.VaultStoreConfig_addressUrl());
        }

        /** Lists secret names and metadata (KV "list" and metadata reads); never reads secret data. */
        @POST
        public FormValidation doTestConnection(@QueryParameter String id, @QueryParameter String address,
                @QueryParameter String namespace, @QueryParameter String mount,
                @QueryParameter String authMethod, @QueryParameter String role,
                @QueryParameter String credentialsId, @QueryParameter String kvVersion,
                @QueryParameter String prefix, @QueryParameter String caCertFile,
                @QueryParameter boolean directConnection) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            VaultStoreConfig candidate = new VaultStoreConfig(id, address);
            candidate.setKvVersion(kvVersion);
            candidate.setPrefix(prefix);
            candidate.setCaCertFile(caCertFile);
            candidate.setNamespace(namespace);
            candidate.setMount(mount);
            candidate.setAuthMethod(authMethod);
            candidate.setRole(role);
            candidate.setCredentialsId(credentialsId);
            candidate.setDirectConnection(directConnection);
            return testConnection(candidate);
        }
    }
}
