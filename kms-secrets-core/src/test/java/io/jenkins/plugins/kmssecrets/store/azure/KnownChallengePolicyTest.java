package io.jenkins.plugins.kmssecrets.store.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When the store may answer Key Vault's bearer challenge itself, and what it answers. */
class KnownChallengePolicyTest {

    static AzureKeyVaultSettings settings(String vaultUrl, String tenant) {
        return new AzureKeyVaultSettings(URI.create(vaultUrl), URI.create("https://login.microsoftonline.us/"),
                AzureAuth.CLIENT_SECRET, tenant, "app", "AZURE_CLIENT_SECRET", null, null, Map.of(),
                Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    @Test
    void knownCloudAndTenantAreAnsweredWithTheChallengeTheVaultWouldSend() {
        KnownChallengePolicy policy = KnownChallengePolicy.of(
                settings("https://ops.vault.usgovcloudapi.net/", "tenant-1"), true);
        assertThat(policy).isNotNull();
        assertThat(policy.answer(new HttpRequest(HttpMethod.GET, "https://ops.vault.usgovcloudapi.net/secrets/a")))
                .isEqualTo("Bearer authorization=\"https://login.microsoftonline.us/tenant-1\", "
                        + "resource=\"https://vault.usgovcloudapi.net\"");
    }

    @Test
    void withoutATenantOrOnAnUnknownDomainTheVaultIsAsked() {
        assertThat(KnownChallengePolicy.of(settings("https://ops.vault.azure.net/", null), true)).isNull();
        assertThat(KnownChallengePolicy.of(settings("https://ops.vault.example.org/", "tenant-1"), true)).isNull();
    }

    @Test
    void onlyUnauthenticatedRequestsToTheVaultAreAnswered() {
        KnownChallengePolicy policy = KnownChallengePolicy.of(settings("https://ops.vault.azure.net/", "t"), true);
        HttpRequest withToken = new HttpRequest(HttpMethod.GET, "https://ops.vault.azure.net/secrets/a")
                .setHeader(HttpHeaderName.AUTHORIZATION, "Bearer x");
        assertThat(policy.answer(withToken)).isNull();
        assertThat(policy.answer(new HttpRequest(HttpMethod.POST, "https://login.microsoftonline.com/t/oauth2")))
                .isNull();
    }
}
