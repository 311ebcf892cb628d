package io.jenkins.plugins.kmssecrets.store.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import java.time.Duration;

/**
 * What an {@link AzureKeyVaultStore} talks through: the HTTP client, the token credential and the pause between
 * retries. {@link #azure()} is the real thing; tests pass a transport with an explicit static credential and a
 * client that trusts a local fake server, so no test ever builds a credential that probes the instance metadata
 * endpoint.
 *
 * @since 0.1.0
 */
public interface KeyVaultTransport {

    /** The JDK {@link java.net.http.HttpClient} builder the SDK's HTTP client starts from (TLS, proxy, executor). */
    java.net.http.HttpClient.Builder httpClientBuilder();

    /**
     * The credential for {@code settings}, built offline (tokens are requested on first use).
     *
     * @param httpClient the client the credential should use for token requests
     * @throws io.jenkins.plugins.kmssecrets.store.MisconfiguredException when the settings or environment are
     *                                                                    incomplete
     */
    TokenCredential credential(String storeId, AzureKeyVaultSettings settings, StoreContext context,
            HttpClient httpClient);

    /**
     * Whether the SDK checks that the bearer challenge's resource matches the vault's DNS suffix. Always true against
     * Azure; a fake on 127.0.0.1 cannot match it.
     */
    default boolean verifyChallengeResource() {
        return true;
    }

    /** Waits before a retry. */
    default void pause(Duration delay) throws InterruptedException {
        Thread.sleep(delay.toMillis());
    }

    /** Azure: JDK defaults for TLS and the credential the {@code auth} setting selects. */
    static KeyVaultTransport azure() {
        return new AzureIdentityTransport();
    }
}
