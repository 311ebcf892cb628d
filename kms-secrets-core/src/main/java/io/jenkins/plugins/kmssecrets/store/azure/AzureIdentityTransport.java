package io.jenkins.plugins.kmssecrets.store.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.identity.ClientCertificateCredentialBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The production transport: azure-identity credentials chosen by the {@code auth} setting. */
final class AzureIdentityTransport implements KeyVaultTransport {

    @Override
    public java.net.http.HttpClient.Builder httpClientBuilder() {
        return java.net.http.HttpClient.newBuilder();
    }

    @Override
    public TokenCredential credential(String storeId, AzureKeyVaultSettings settings, StoreContext context,
            HttpClient httpClient) {
        String authority = settings.authorityHost().toString();
        return switch (settings.auth()) {
            case DEFAULT -> {
                DefaultAzureCredentialBuilder builder = new DefaultAzureCredentialBuilder()
                        .authorityHost(authority).httpClient(httpClient);
                if (settings.tenantId() != null) {
                    builder.tenantId(settings.tenantId());
                }
                if (settings.clientId() != null) {
                    builder.managedIdentityClientId(settings.clientId()).workloadIdentityClientId(settings.clientId());
                }
                yield builder.build();
            }
            case CLIENT_SECRET -> new ClientSecretCredentialBuilder()
                    .authorityHost(authority).httpClient(httpClient)
                    .tenantId(settings.tenantId()).clientId(settings.clientId())
                    .clientSecret(requiredEnv(storeId, context, settings.clientSecretEnv(), "clientSecretEnv"))
                    .build();
            case CLIENT_CERTIFICATE -> clientCertificate(storeId, settings, context, httpClient, authority);
            case MANAGED_IDENTITY -> {
                ManagedIdentityCredentialBuilder builder = new ManagedIdentityCredentialBuilder().httpClient(httpClient);
                if (settings.clientId() != null) {
                    builder.clientId(settings.clientId());
                }
                yield builder.build();
            }
        };
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
