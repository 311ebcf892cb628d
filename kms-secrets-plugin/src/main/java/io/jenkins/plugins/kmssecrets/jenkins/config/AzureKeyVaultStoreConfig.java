package io.jenkins.plugins.kmssecrets.jenkins.config;

import hudson.Extension;
import hudson.Util;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.kmssecrets.store.StoreDefinitionBuilder;
import java.util.Map;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * An Azure Key Vault. Authentication: the default chain (managed or workload identity of the controller), managed
 * identity only, a service principal whose client secret is a Jenkins "secret text" credential, or a service
 * principal with a certificate file on the controller.
 */
public class AzureKeyVaultStoreConfig extends KmsStoreConfig {

    /** The environment variable the client secret is handed to the store in; private to the store's context. */
    static final String CLIENT_SECRET_ENV = "KMS_SECRETS_AZURE_CLIENT_SECRET";

    private final String vaultUrl;
    private String auth = "default";
    private String tenantId;
    private String clientId;
    private String credentialsId;
    private String clientCertificatePath;
    private String authorityHost;
    private String caCertFile;

    @DataBoundConstructor
    public AzureKeyVaultStoreConfig(String id, String vaultUrl) {
        super(id);
        this.vaultUrl = Util.fixEmptyAndTrim(vaultUrl);
    }

    public String getVaultUrl() {
        return vaultUrl;
    }

    public String getAuth() {
        return auth;
    }

    @DataBoundSetter
    public void setAuth(String auth) {
        String value = Util.fixEmptyAndTrim(auth);
        this.auth = value == null ? "default" : value;
    }

    public String getTenantId() {
        return tenantId;
    }

    @DataBoundSetter
    public void setTenantId(String tenantId) {
        this.tenantId = Util.fixEmptyAndTrim(tenantId);
    }

    public String getClientId() {
        return clientId;
    }

    @DataBoundSetter
    public void setClientId(String clientId) {
        this.clientId = Util.fixEmptyAndTrim(clientId);
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    public String getClientCertificatePath() {
        return clientCertificatePath;
    }

    @DataBoundSetter
    public void setClientCertificatePath(String clientCertificatePath) {
        this.clientCertificatePath = Util.fixEmptyAndTrim(clientCertificatePath);
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
                .set("auth", auth)
                .set("tenantId", tenantId)
                .set("clientId", clientId)
                .set("clientCertificatePath", clientCertificatePath)
                .set("authorityHost", authorityHost)
                .set("caCertFile", caCertFile);
    }

    @Override
    protected void authentication(StoreDefinitionBuilder builder, Map<String, String> environment) {
        // auth default on a controller: environment, workload identity and managed identity only, never a developer's
        // IDE or CLI token cache (whose libraries the .hpi does not bundle: docs/plugin/bundle.md).
        environment.put("AZURE_TOKEN_CREDENTIALS", "prod");
        if (credentialsId != null) {
            environment.put(CLIENT_SECRET_ENV, StoreAuthentication.secretText(getId(), credentialsId));
            builder.set("clientSecretEnv", CLIENT_SECRET_ENV);
        }
    }

    @Extension
    @Symbol("azureKeyVault")
    public static class DescriptorImpl extends KmsStoreDescriptor {

        @Override
        public String getDisplayName() {
            return Messages.AzureKeyVaultStoreConfig_displayName();
        }

        public ListBoxModel doFillAuthItems() {
            ListBoxModel items = new ListBoxModel();
            items.add(Messages.AzureKeyVaultStoreConfig_authDefault(), "default");
            items.add(Messages.AzureKeyVaultStoreConfig_authManagedIdentity(), "managedIdentity");
            items.add(Messages.AzureKeyVaultStoreConfig_authClientSecret(), "clientSecret");
            items.add(Messages.AzureKeyVaultStoreConfig_authClientCertificate(), "clientCertificate");
            return items;
        }

        public FormValidation doCheckVaultUrl(@QueryParameter String value) {
            String url = Util.fixEmptyAndTrim(value);
            if (url == null) {
                return FormValidation.error(Messages.AzureKeyVaultStoreConfig_vaultUrlRequired());
            }
            return url.startsWith("https://") ? FormValidation.ok()
                    : FormValidation.error(Messages.AzureKeyVaultStoreConfig_vaultUrlHttps());
        }

        /** Lists secret metadata (Key Vault "list" permission); never reads a value. */
        @POST
        public FormValidation doTestConnection(@QueryParameter String id, @QueryParameter String vaultUrl,
                @QueryParameter String auth, @QueryParameter String tenantId, @QueryParameter String clientId,
                @QueryParameter String credentialsId, @QueryParameter String clientCertificatePath,
                @QueryParameter String authorityHost, @QueryParameter String caCertFile,
                @QueryParameter boolean directConnection) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            AzureKeyVaultStoreConfig candidate = new AzureKeyVaultStoreConfig(id, vaultUrl);
            candidate.setAuth(auth);
            candidate.setTenantId(tenantId);
            candidate.setClientId(clientId);
            candidate.setCredentialsId(credentialsId);
            candidate.setClientCertificatePath(clientCertificatePath);
            candidate.setAuthorityHost(authorityHost);
            candidate.setCaCertFile(caCertFile);
            candidate.setDirectConnection(directConnection);
            return testConnection(candidate);
        }
    }
}
