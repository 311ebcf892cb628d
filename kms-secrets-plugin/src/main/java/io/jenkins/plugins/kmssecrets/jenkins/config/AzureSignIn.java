package io.jenkins.plugins.kmssecrets.jenkins.config;

import hudson.Extension;
import hudson.Util;
import hudson.model.Describable;
import io.jenkins.plugins.kmssecrets.store.StoreDefinitionBuilder;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * How an Azure Key Vault store signs in: one subclass per mode of the engine's {@code auth} setting, each with exactly
 * the fields that mode uses. A mode maps itself to the store's settings and, for a client secret, puts the secret of
 * the Jenkins credential into the store's private environment (never into a setting, a log or {@code config.xml}).
 */
public abstract class AzureSignIn implements Describable<AzureSignIn> {

    /** The modes' order on the form. */
    static final List<Class<? extends AzureSignIn>> ORDER = List.of(DefaultChain.class, ManagedIdentity.class,
            WorkloadIdentity.class, AzureCli.class, ClientSecret.class, ClientCertificate.class);

    protected AzureSignIn() {
    }

    /** The engine's {@code auth} value. */
    public abstract String auth();

    /** Adds the mode's non-secret settings ({@code auth} and its own). */
    void settings(StoreDefinitionBuilder builder) {
        builder.set("auth", auth());
    }

    /**
     * Adds what the mode reads from the store's environment: a credential's secret (looked up as the store's
     * credentials are), or the named controller variables the mode is defined by (the store gets no other).
     */
    void environment(String storeId, StoreDefinitionBuilder builder, Map<String, String> environment) {
    }

    /** The mode's descriptor (declared here: {@code Describable#getDescriptor()} has a default only from 2.505). */
    @Override
    public AzureSignInDescriptor getDescriptor() {
        return (AzureSignInDescriptor) Jenkins.get().getDescriptorOrDie(getClass());
    }

    /** Names only. */
    @Override
    public String toString() {
        return getClass().getSimpleName();
    }

    /**
     * The mode the flat attributes of earlier releases ({@code auth}, {@code tenantId}, {@code clientId},
     * {@code credentialsId}, {@code clientCertificatePath}) describe; fields a mode does not use are dropped.
     */
    static AzureSignIn fromFlat(String auth, String tenantId, String clientId, String credentialsId,
            String clientCertificatePath) {
        String mode = Util.fixEmptyAndTrim(auth);
        if (mode == null) {
            mode = credentialsId != null ? "clientSecret" : clientCertificatePath != null ? "clientCertificate"
                    : "default";
        }
        return switch (mode) {
            case "managedIdentity" -> {
                ManagedIdentity m = new ManagedIdentity();
                m.setClientId(clientId);
                yield m;
            }
            case "workloadIdentity" -> {
                WorkloadIdentity w = new WorkloadIdentity();
                w.setTenantId(tenantId);
                w.setClientId(clientId);
                yield w;
            }
            case "azureCli" -> {
                AzureCli cli = new AzureCli();
                cli.setTenantId(tenantId);
                yield cli;
            }
            case "clientSecret" -> new ClientSecret(tenantId, clientId, credentialsId);
            case "clientCertificate" -> new ClientCertificate(tenantId, clientId, clientCertificatePath);
            default -> {
                // "default", and a value the engine would refuse: kept as the default chain (the form offers no other).
                DefaultChain d = new DefaultChain();
                d.setTenantId(tenantId);
                d.setClientId(clientId);
                yield d;
            }
        };
    }

    /** Copies the named variables of the controller's environment into the store's, when set. */
    static void passThrough(Map<String, String> environment, String... names) {
        for (String name : names) {
            String value = System.getenv(name);
            if (value != null) {
                environment.put(name, value);
            }
        }
    }

    /** Descriptor of every Azure sign-in mode; "Test connection" tests the Key Vault store being edited. */
    public abstract static class AzureSignInDescriptor extends SignInDescriptor<AzureSignIn> {

        @Override
        protected KmsStoreConfig candidate(StaplerRequest2 req, JSONObject form, AzureSignIn signIn) {
            AzureKeyVaultStoreConfig store = req.bindJSON(AzureKeyVaultStoreConfig.class, form);
            store.setSignIn(signIn);
            return store;
        }
    }

    /**
     * The Azure default credential chain on the controller: environment variables, workload identity, managed
     * identity, then developer tools. The engine's {@code auth: default}.
     */
    public static final class DefaultChain extends AzureSignIn {

        private String tenantId;
        private String clientId;

        @DataBoundConstructor
        public DefaultChain() {
        }

        /** The tenant the chain signs in to; {@code null}: the chain's own choice. */
        public String getTenantId() {
            return tenantId;
        }

        @DataBoundSetter
        public void setTenantId(String tenantId) {
            this.tenantId = Util.fixEmptyAndTrim(tenantId);
        }

        /** A user-assigned managed identity or workload identity application; {@code null}: the chain's default. */
        public String getClientId() {
            return clientId;
        }

        @DataBoundSetter
        public void setClientId(String clientId) {
            this.clientId = Util.fixEmptyAndTrim(clientId);
        }

        @Override
        public String auth() {
            return "default";
        }

        @Override
        void settings(StoreDefinitionBuilder builder) {
            super.settings(builder);
            builder.set("tenantId", tenantId).set("clientId", clientId);
        }

        /**
         * On a controller the chain is azure-identity's production one (environment, workload identity, managed
         * identity), never a developer's IDE or CLI token cache, whose libraries the {@code .hpi} does not bundle
         * (docs/plugin/bundle.md).
         */
        @Override
        void environment(String storeId, StoreDefinitionBuilder builder, Map<String, String> environment) {
            environment.put("AZURE_TOKEN_CREDENTIALS", "prod");
        }

        @Extension
        @Symbol("defaultChain")
        public static final class DescriptorImpl extends AzureSignInDescriptor {
            @Override
            public String getDisplayName() {
                return Messages.AzureKeyVaultStoreConfig_authDefault();
            }
        }
    }

    /**
     * Managed identity only (the engine's {@code auth: managedIdentity}): system-assigned, or the user-assigned
     * identity {@link #getClientId()}. The controller's identity-endpoint variables (App Service, Container Apps,
     * Arc, Service Fabric) are passed to the store; without them the instance metadata service is used.
     */
    public static final class ManagedIdentity extends AzureSignIn {

        private String clientId;

        @DataBoundConstructor
        public ManagedIdentity() {
        }

        /** The client id of a user-assigned identity; {@code null}: the system-assigned identity. */
        public String getClientId() {
            return clientId;
        }

        @DataBoundSetter
        public void setClientId(String clientId) {
            this.clientId = Util.fixEmptyAndTrim(clientId);
        }

        @Override
        public String auth() {
            return "managedIdentity";
        }

        @Override
        void settings(StoreDefinitionBuilder builder) {
            super.settings(builder);
            builder.set("clientId", clientId);
        }

        @Override
        void environment(String storeId, StoreDefinitionBuilder builder, Map<String, String> environment) {
            passThrough(environment, "IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT",
                    "IMDS_ENDPOINT", "MSI_ENDPOINT", "MSI_SECRET");
        }

        @Extension
        @Symbol("managedIdentity")
        public static final class DescriptorImpl extends AzureSignInDescriptor {
            @Override
            public String getDisplayName() {
                return Messages.AzureKeyVaultStoreConfig_authManagedIdentity();
            }
        }
    }

    /**
     * Workload identity (AKS federated credentials; the engine's {@code auth: workloadIdentity}): the controller's
     * {@code AZURE_FEDERATED_TOKEN_FILE} is exchanged for a token of the application; tenant and client id default to
     * the controller's {@code AZURE_TENANT_ID} and {@code AZURE_CLIENT_ID}.
     */
    public static final class WorkloadIdentity extends AzureSignIn {

        private String tenantId;
        private String clientId;

        @DataBoundConstructor
        public WorkloadIdentity() {
        }

        /** The tenant; {@code null}: the controller's {@code AZURE_TENANT_ID}. */
        public String getTenantId() {
            return tenantId;
        }

        @DataBoundSetter
        public void setTenantId(String tenantId) {
            this.tenantId = Util.fixEmptyAndTrim(tenantId);
        }

        /** The application (client) id; {@code null}: the controller's {@code AZURE_CLIENT_ID}. */
        public String getClientId() {
            return clientId;
        }

        @DataBoundSetter
        public void setClientId(String clientId) {
            this.clientId = Util.fixEmptyAndTrim(clientId);
        }

        @Override
        public String auth() {
            return "workloadIdentity";
        }

        @Override
        void settings(StoreDefinitionBuilder builder) {
            super.settings(builder);
            builder.set("tenantId", tenantId).set("clientId", clientId);
        }

        @Override
        void environment(String storeId, StoreDefinitionBuilder builder, Map<String, String> environment) {
            passThrough(environment, "AZURE_FEDERATED_TOKEN_FILE", "AZURE_TENANT_ID", "AZURE_CLIENT_ID");
        }

        @Extension
        @Symbol("workloadIdentity")
        public static final class DescriptorImpl extends AzureSignInDescriptor {
            @Override
            public String getDisplayName() {
                return Messages.AzureSignIn_workloadIdentity();
            }
        }
    }

    /**
     * The account the Azure CLI on the controller is signed in with ({@code az login}; the engine's
     * {@code auth: azureCli}). {@code az} is found on the controller's {@code PATH}, its profile in {@code HOME}
     * (or {@code AZURE_CONFIG_DIR}).
     */
    public static final class AzureCli extends AzureSignIn {

        private String tenantId;

        @DataBoundConstructor
        public AzureCli() {
        }

        /** Passed to {@code az account get-access-token --tenant}; {@code null}: the CLI's current tenant. */
        public String getTenantId() {
            return tenantId;
        }

        @DataBoundSetter
        public void setTenantId(String tenantId) {
            this.tenantId = Util.fixEmptyAndTrim(tenantId);
        }

        @Override
        public String auth() {
            return "azureCli";
        }

        @Override
        void settings(StoreDefinitionBuilder builder) {
            super.settings(builder);
            builder.set("tenantId", tenantId);
        }

        @Override
        void environment(String storeId, StoreDefinitionBuilder builder, Map<String, String> environment) {
            passThrough(environment, "PATH", "HOME", "AZURE_CONFIG_DIR");
        }

        @Extension
        @Symbol("azureCli")
        public static final class DescriptorImpl extends AzureSignInDescriptor {
            @Override
            public String getDisplayName() {
                return Messages.AzureSignIn_azureCli();
            }
        }
    }

    /**
     * A service principal with a client secret held in a Jenkins credential (the engine's {@code auth: clientSecret}).
     * The secret reaches the store through its private environment ({@code clientSecretEnv}).
     */
    public static final class ClientSecret extends AzureSignIn {

        private final String tenantId;
        private final String clientId;
        private final String credentialsId;

        @DataBoundConstructor
        public ClientSecret(String tenantId, String clientId, String credentialsId) {
            this.tenantId = Util.fixEmptyAndTrim(tenantId);
            this.clientId = Util.fixEmptyAndTrim(clientId);
            this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
        }

        public String getTenantId() {
            return tenantId;
        }

        public String getClientId() {
            return clientId;
        }

        /** A "secret text" (or "secret file", "username with password") credential holding the client secret. */
        public String getCredentialsId() {
            return credentialsId;
        }

        @Override
        public String auth() {
            return "clientSecret";
        }

        @Override
        void settings(StoreDefinitionBuilder builder) {
            super.settings(builder);
            builder.set("tenantId", tenantId).set("clientId", clientId);
        }

        @Override
        void environment(String storeId, StoreDefinitionBuilder builder, Map<String, String> environment) {
            if (credentialsId != null) {
                environment.put(AzureKeyVaultStoreConfig.CLIENT_SECRET_ENV,
                        StoreAuthentication.secretText(storeId, credentialsId));
                builder.set("clientSecretEnv", AzureKeyVaultStoreConfig.CLIENT_SECRET_ENV);
            }
        }

        @Extension
        @Symbol("clientSecret")
        public static final class DescriptorImpl extends AzureSignInDescriptor {
            @Override
            public String getDisplayName() {
                return Messages.AzureKeyVaultStoreConfig_authClientSecret();
            }
        }
    }

    /**
     * A service principal with a certificate file (PEM or PKCS#12) on the controller (the engine's
     * {@code auth: clientCertificate}).
     */
    public static final class ClientCertificate extends AzureSignIn {

        private final String tenantId;
        private final String clientId;
        private final String clientCertificatePath;

        @DataBoundConstructor
        public ClientCertificate(String tenantId, String clientId, String clientCertificatePath) {
            this.tenantId = Util.fixEmptyAndTrim(tenantId);
            this.clientId = Util.fixEmptyAndTrim(clientId);
            this.clientCertificatePath = Util.fixEmptyAndTrim(clientCertificatePath);
        }

        public String getTenantId() {
            return tenantId;
        }

        public String getClientId() {
            return clientId;
        }

        /** The certificate (and key) file on the controller; relative paths resolve against JENKINS_HOME. */
        public String getClientCertificatePath() {
            return clientCertificatePath;
        }

        @Override
        public String auth() {
            return "clientCertificate";
        }

        @Override
        void settings(StoreDefinitionBuilder builder) {
            super.settings(builder);
            builder.set("tenantId", tenantId).set("clientId", clientId)
                    .set("clientCertificatePath", clientCertificatePath);
        }

        @Extension
        @Symbol("clientCertificate")
        public static final class DescriptorImpl extends AzureSignInDescriptor {
            @Override
            public String getDisplayName() {
                return Messages.AzureKeyVaultStoreConfig_authClientCertificate();
            }
        }
    }
}
