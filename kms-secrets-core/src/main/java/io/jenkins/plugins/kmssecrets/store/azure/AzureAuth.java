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
    MANAGED_IDENTITY("managedIdentity");

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
