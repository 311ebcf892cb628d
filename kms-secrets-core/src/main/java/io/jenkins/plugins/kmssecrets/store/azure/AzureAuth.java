package io.jenkins.plugins.kmssecrets.store.azure;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How an {@code azure-key-vault} store signs in, as written in its {@code auth} setting.
 *
 * @since 0.1.0
 */
public enum AzureAuth {

    /**
     * The Azure default credential chain: environment variables, workload identity, managed identity, then developer
     * tools (Azure CLI, PowerShell, azd). {@code clientId}, when set, selects a user-assigned managed identity or
     * workload identity; {@code tenantId} pins the tenant.
     */
    DEFAULT("default"),
    /** A service principal with a client secret read from the environment variable named by {@code clientSecretEnv}. */
    CLIENT_SECRET("clientSecret"),
    /** A service principal with a certificate file ({@code clientCertificatePath}, PEM or PKCS#12). */
    CLIENT_CERTIFICATE("clientCertificate"),
    /** Managed identity only: system-assigned, or user-assigned when {@code clientId} is set. */
    MANAGED_IDENTITY("managedIdentity"),
    /**
     * The account signed in with the Azure CLI ({@code az login}): runs {@code az account get-access-token}, found on
     * the {@code PATH} of the environment the store is given. {@code tenantId}, when set, is passed as
     * {@code --tenant}.
     *
     * @since 0.2.0
     */
    AZURE_CLI("azureCli"),
    /**
     * Workload identity (AKS federated credentials): the service account token in the file named by
     * {@code AZURE_FEDERATED_TOKEN_FILE} is exchanged for a token of the application {@code clientId} (default
     * {@code AZURE_CLIENT_ID}) in tenant {@code tenantId} (default {@code AZURE_TENANT_ID}).
     *
     * @since 0.2.0
     */
    WORKLOAD_IDENTITY("workloadIdentity");

    private final String setting;

    AzureAuth(String setting) {
        this.setting = setting;
    }

    /** The value as written in the {@code auth} setting. */
    public String setting() {
        return setting;
    }

    /** The method a setting names (case-insensitive), or {@code null}. */
    public static AzureAuth fromSetting(String value) {
        for (AzureAuth auth : values()) {
            if (auth.setting.equalsIgnoreCase(value.trim())) {
                return auth;
            }
        }
        return null;
    }

    /** The accepted setting values, for error messages. */
    public static String accepted() {
        return Arrays.stream(values()).map(AzureAuth::setting).collect(Collectors.joining(", "));
    }
}
