package io.jenkins.plugins.kmssecrets.store.azure;

import io.jenkins.plugins.kmssecrets.testing.akv.TestCertificate;

/**
 * For tests in other packages (the CLI's): the production transport, with the real azure-identity credentials, on an
 * HTTP client that trusts the local fakes' certificate and without the challenge-resource check (a fake on 127.0.0.1
 * cannot match {@code vault.azure.net}). Use it with a {@link io.jenkins.plugins.kmssecrets.testing.akv
 * .FakeEntraAuthority} as {@code authorityHost}, never with a mode that would reach a real endpoint.
 */
public final class AzureIdentityTestTransport {

    private AzureIdentityTestTransport() {
    }

    /** The production transport against the local fakes. */
    public static KeyVaultTransport create() {
        return new AzureIdentityTransport(() -> java.net.http.HttpClient.newBuilder()
                .sslContext(TestCertificate.get().clientContext()), false);
    }
}
