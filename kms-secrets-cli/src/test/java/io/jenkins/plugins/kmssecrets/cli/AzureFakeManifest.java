package io.jenkins.plugins.kmssecrets.cli;

import io.jenkins.plugins.kmssecrets.testing.akv.FakeKeyVaultServer;

/**
 * The manifest of a one-secret Azure Key Vault run against the core's fakes, for the tests and the build step that
 * start the shaded jar ({@link ShadedJarIT}, {@link ArchiveTraining}): client-secret sign-in at a loopback
 * {@code FakeEntraAuthority}, the vault under a {@code *.vault.azure.net} name that a hosts file maps to 127.0.0.1.
 */
final class AzureFakeManifest {

    private AzureFakeManifest() {
    }

    /**
     * @param host          the vault's host name ({@code *.vault.azure.net}; the SDK checks the challenge resource)
     * @param vault         the fake vault (its port)
     * @param clientId      the application the authority knows, with the secret in {@code AZURE_CLIENT_SECRET}
     * @param authorityHost the fake authority's URL
     * @param env           the variable the secret is handed to
     * @param secret        the secret's name in the vault
     */
    static String of(String host, FakeKeyVaultServer vault, String clientId, java.net.URI authorityHost, String env,
            String secret) {
        return """
                stores:
                  - id: akv
                    type: azure-key-vault
                    vaultUrl: https://%s:%d/
                    auth: clientSecret
                    tenantId: %s
                    clientId: %s
                    authorityHost: %s
                secrets:
                  - env: %s
                    ref: akv:%s
                """.formatted(host, vault.vaultUrl().getPort(), FakeKeyVaultServer.TENANT, clientId, authorityHost,
                env, secret);
    }
}
