package io.jenkins.plugins.kmssecrets.store.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.util.Configuration;
import com.azure.core.util.ConfigurationBuilder;
import com.azure.identity.ClientCertificateCredentialBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.identity.WorkloadIdentityCredentialBuilder;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The production transport: one azure-identity credential per {@code auth} mode, so that no mode probes another's
 * endpoint, each wrapped in a {@link SignInCredential} that bounds it by {@code signInTimeout} and names its failures.
 * With an authority other than the public cloud's, MSAL's instance discovery (a request to
 * {@code login.microsoftonline.com}) is switched off.
 */
final class AzureIdentityTransport implements KeyVaultTransport {

    /** The instance metadata service that managed identity uses on VMs and scale sets. */
    static final String IMDS = "http://169.254.169.254/metadata/identity/oauth2/token";

    /**
     * The variable azure-identity's default chain reads to narrow itself: {@value #PRODUCTION_CHAIN} keeps the
     * environment, workload identity and managed identity credentials and drops the developer tools' (IntelliJ, VS
     * Code, Azure CLI, PowerShell, azd), which are never built or loaded.
     */
    static final String TOKEN_CREDENTIALS = "AZURE_TOKEN_CREDENTIALS";

    /** The {@link #TOKEN_CREDENTIALS} value for the production credentials only. */
    static final String PRODUCTION_CHAIN = "prod";

    private final Supplier<java.net.http.HttpClient.Builder> httpClientBuilder;
    private final boolean verifyChallengeResource;

    AzureIdentityTransport() {
        this(java.net.http.HttpClient::newBuilder, true);
    }

    /** Tests: a client that trusts a local fake (authority and vault), and no challenge-resource check. */
    AzureIdentityTransport(Supplier<java.net.http.HttpClient.Builder> httpClientBuilder,
            boolean verifyChallengeResource) {
        this.httpClientBuilder = Objects.requireNonNull(httpClientBuilder, "httpClientBuilder");
        this.verifyChallengeResource = verifyChallengeResource;
    }

    @Override
    public java.net.http.HttpClient.Builder httpClientBuilder() {
        return httpClientBuilder.get();
    }

    @Override
    public boolean verifyChallengeResource() {
        return verifyChallengeResource;
    }

    @Override
    public TokenCredential credential(String storeId, AzureKeyVaultSettings settings, StoreContext context,
            HttpClient httpClient) {
        String authority = settings.authorityHost().toString();
        String mode = "auth '" + settings.auth().setting() + "'";
        return switch (settings.auth()) {
            case DEFAULT -> {
                // The configuration first: setting it resets the authority host to the configuration's.
                DefaultAzureCredentialBuilder builder = new DefaultAzureCredentialBuilder()
                        .configuration(defaultChainConfiguration(context))
                        .authorityHost(authority).httpClient(httpClient);
                if (settings.customAuthority()) {
                    builder.disableInstanceDiscovery();
                }
                if (settings.tenantId() != null) {
                    builder.tenantId(settings.tenantId());
                }
                if (settings.clientId() != null) {
                    builder.managedIdentityClientId(settings.clientId()).workloadIdentityClientId(settings.clientId());
                }
                yield bounded(builder.build(), settings, mode + clientId(settings.clientId()),
                        "the default credential chain (environment, workload identity, managed identity"
                                + (PRODUCTION_CHAIN.equalsIgnoreCase(trimmed(context.env(TOKEN_CREDENTIALS)))
                                        ? ")" : ", developer tools)"), httpClient);
            }
            case CLIENT_SECRET -> {
                ClientSecretCredentialBuilder builder = new ClientSecretCredentialBuilder()
                        .authorityHost(authority).httpClient(httpClient)
                        .tenantId(settings.tenantId()).clientId(settings.clientId())
                        .clientSecret(requiredEnv(storeId, context, settings.clientSecretEnv(), "clientSecretEnv"));
                if (settings.customAuthority()) {
                    builder.disableInstanceDiscovery();
                }
                yield bounded(builder.build(), settings, mode + clientId(settings.clientId()),
                        tokenEndpoint(settings, settings.tenantId()), httpClient);
            }
            case CLIENT_CERTIFICATE -> bounded(clientCertificate(storeId, settings, context, httpClient, authority),
                    settings, mode + clientId(settings.clientId()), tokenEndpoint(settings, settings.tenantId()),
                    httpClient);
            case MANAGED_IDENTITY -> {
                ManagedIdentityCredentialBuilder builder = new ManagedIdentityCredentialBuilder().httpClient(httpClient)
                        // Only the managed-identity variables of the store's environment: a federated token file in
                        // it must not turn this mode into workload identity.
                        .configuration(managedIdentityConfiguration(context));
                if (settings.clientId() != null) {
                    builder.clientId(settings.clientId());
                }
                yield new SignInCredential(builder.build(), mode + (settings.clientId() == null
                        ? ", system-assigned identity" : ", identity client id '" + settings.clientId() + "'"),
                        managedIdentityEndpoint(context), settings.signInTimeout(),
                        httpClient instanceof CountingHttpClient counting ? counting::lastIdentityStatus : () -> 0,
                        httpClient instanceof CountingHttpClient counting ? counting::lastIdentityFailure : () -> null,
                        httpClient instanceof CountingHttpClient counting ? counting::lastIdentityUntrusted
                                : () -> null);
            }
            case AZURE_CLI -> bounded(new AzureCliTokenCredential(context.environment(), settings.tenantId(),
                    settings.signInTimeout().plusSeconds(1)), settings,
                    mode + (settings.tenantId() == null ? "" : ", tenant '" + settings.tenantId() + "'"),
                    "'az account get-access-token'", httpClient);
            case WORKLOAD_IDENTITY -> workloadIdentity(storeId, settings, context, httpClient, authority, mode);
        };
    }

    private static TokenCredential workloadIdentity(String storeId, AzureKeyVaultSettings settings,
            StoreContext context, HttpClient httpClient, String authority, String mode) {
        String tenant = settings.tenantId() != null ? settings.tenantId() : context.env("AZURE_TENANT_ID");
        String client = settings.clientId() != null ? settings.clientId() : context.env("AZURE_CLIENT_ID");
        String tokenFile = context.env("AZURE_FEDERATED_TOKEN_FILE");
        if (tenant == null || tenant.isBlank() || client == null || client.isBlank()) {
            throw new MisconfiguredException(storeId, null, "auth workloadIdentity needs a tenant and a client id: set "
                    + "'tenantId' and 'clientId', or AZURE_TENANT_ID and AZURE_CLIENT_ID (the AKS workload identity "
                    + "webhook sets them when the pod's service account is annotated)");
        }
        if (tokenFile == null || tokenFile.isBlank()) {
            throw new MisconfiguredException(storeId, null, "auth workloadIdentity needs AZURE_FEDERATED_TOKEN_FILE "
                    + "(set by the AKS workload identity webhook; label the pod azure.workload.identity/use=true)");
        }
        Path file = context.resolve(tokenFile);
        if (!Files.isReadable(file)) {
            throw new MisconfiguredException(storeId, null, "the federated token file " + file
                    + " (AZURE_FEDERATED_TOKEN_FILE) does not exist or is not readable");
        }
        WorkloadIdentityCredentialBuilder builder = new WorkloadIdentityCredentialBuilder()
                .authorityHost(authority).httpClient(httpClient)
                .tenantId(tenant.trim()).clientId(client.trim()).tokenFilePath(file.toString());
        if (settings.customAuthority()) {
            builder.disableInstanceDiscovery();
        }
        return bounded(builder.build(), settings, mode + clientId(client.trim()),
                tokenEndpoint(settings, tenant.trim()), httpClient);
    }

    private static TokenCredential bounded(TokenCredential credential, AzureKeyVaultSettings settings,
            String subject, String endpoint, HttpClient httpClient) {
        return httpClient instanceof CountingHttpClient counting
                ? new SignInCredential(credential, subject, endpoint, settings.signInTimeout(),
                        counting::lastIdentityStatus, counting::lastIdentityFailure, counting::lastIdentityUntrusted)
                : new SignInCredential(credential, subject, endpoint, settings.signInTimeout());
    }

    private static String clientId(String clientId) {
        return clientId == null ? "" : ", client id '" + clientId + "'";
    }

    /** The OAuth token endpoint of the tenant at the authority. */
    static String tokenEndpoint(AzureKeyVaultSettings settings, String tenant) {
        String base = settings.authorityHost().toString().replaceAll("/+$", "");
        return base + "/" + tenant + "/oauth2/v2.0/token";
    }

    /** Which managed-identity endpoint this environment points at, as the identity library chooses it. */
    static String managedIdentityEndpoint(StoreContext context) {
        String identity = context.env("IDENTITY_ENDPOINT");
        if (identity != null && !identity.isBlank()) {
            String kind = context.env("IMDS_ENDPOINT") != null ? "Azure Arc"
                    : context.env("IDENTITY_SERVER_THUMBPRINT") != null ? "Service Fabric"
                    : "App Service / Container Apps";
            return "the " + kind + " identity endpoint " + identity.trim();
        }
        String msi = context.env("MSI_ENDPOINT");
        if (msi != null && !msi.isBlank()) {
            return "the identity endpoint MSI_ENDPOINT " + msi.trim();
        }
        return "the instance metadata service " + IMDS;
    }

    /**
     * What the default chain reads its variables from: the process's environment and system properties, with the
     * store's environment over them (the Jenkins plugin sets {@value #TOKEN_CREDENTIALS} there; the CLI's store
     * environment is the process's).
     */
    static Configuration defaultChainConfiguration(StoreContext context) {
        java.util.Map<String, String> variables = new java.util.HashMap<>(System.getenv());
        variables.putAll(context.environment());
        java.util.Map<String, String> properties = new java.util.HashMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            properties.put(name, System.getProperty(name));
        }
        return new ConfigurationBuilder(source -> java.util.Map.of(), source -> properties, source -> variables)
                .build();
    }

    private static String trimmed(String value) {
        return value == null ? null : value.trim();
    }

    private static Configuration managedIdentityConfiguration(StoreContext context) {
        java.util.Map<String, String> variables = new java.util.HashMap<>();
        for (String name : new String[] {"IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT",
                "IMDS_ENDPOINT", "MSI_ENDPOINT", "MSI_SECRET", "AZURE_POD_IDENTITY_AUTHORITY_HOST"}) {
            if (context.env(name) != null) {
                variables.put(name, context.env(name));
            }
        }
        return new ConfigurationBuilder(source -> java.util.Map.of(), source -> java.util.Map.of(),
                source -> variables).build();
    }

    private static TokenCredential clientCertificate(String storeId, AzureKeyVaultSettings settings,
            StoreContext context, HttpClient httpClient, String authority) {
        Path path = context.resolve(settings.clientCertificatePath());
        if (!Files.isReadable(path)) {
            throw new MisconfiguredException(storeId, null, "client certificate file " + path
                    + " (setting 'clientCertificatePath') does not exist or is not readable");
        }
        ClientCertificateCredentialBuilder builder = new ClientCertificateCredentialBuilder()
                .authorityHost(authority).httpClient(httpClient)
                .tenantId(settings.tenantId()).clientId(settings.clientId());
        if (settings.customAuthority()) {
            builder.disableInstanceDiscovery();
        }
        String file = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (file.endsWith(".pfx") || file.endsWith(".p12")) {
            String password = settings.clientCertificatePasswordEnv() == null ? null
                    : requiredEnv(storeId, context, settings.clientCertificatePasswordEnv(),
                            "clientCertificatePasswordEnv");
            builder.pfxCertificate(path.toString()).clientCertificatePassword(password);
        } else {
            builder.pemCertificate(path.toString());
        }
        return builder.build();
    }

    private static String requiredEnv(String storeId, StoreContext context, String name, String setting) {
        String value = context.env(name);
        if (value == null || value.isEmpty()) {
            throw new MisconfiguredException(storeId, null, "environment variable " + name + " (setting '" + setting
                    + "') is not set");
        }
        return value;
    }
}
