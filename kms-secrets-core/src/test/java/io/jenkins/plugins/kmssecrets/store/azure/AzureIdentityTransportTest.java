package io.jenkins.plugins.kmssecrets.store.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Credential construction for the service-principal methods. Building a credential is offline; no token is
 * requested here. The default chain and managed identity are deliberately not built in tests: they probe the
 * instance metadata endpoint.
 */
class AzureIdentityTransportTest {

    private static final HttpClient HTTP = new JdkHttpClientBuilder().build();

    private static AzureKeyVaultSettings settings(Map<String, Object> extra) {
        Map<String, Object> all = new java.util.HashMap<>(Map.of("vaultName", "kv-one", "tenantId", "tenant-1",
                "clientId", "client-1"));
        all.putAll(extra);
        return AzureKeyVaultSettings.from(new StoreDefinition("akv", "azure-key-vault", all, null));
    }

    private static StoreContext context(Map<String, String> env) {
        return new StoreContext(env, Path.of("."), Clock.systemUTC());
    }

    @Test
    void clientSecretComesFromTheNamedEnvironmentVariable() {
        TokenCredential credential = new AzureIdentityTransport().credential("akv",
                settings(Map.of("auth", "clientSecret", "clientSecretEnv", "KV_SP_SECRET")),
                context(Map.of("KV_SP_SECRET", "sp-secret-value-1")), HTTP);
        assertThat(credential).isInstanceOf(SignInCredential.class);
        assertThat(credential.toString()).contains("auth 'clientSecret'").contains("client-1")
                .doesNotContain("sp-secret-value-1");
    }

    @Test
    void missingClientSecretVariableIsNamedButNoValueIsShown() {
        MisconfiguredException e = catchThrowableOfType(MisconfiguredException.class,
                () -> new AzureIdentityTransport().credential("akv",
                        settings(Map.of("auth", "clientSecret", "clientSecretEnv", "KV_SP_SECRET")),
                        context(Map.of("OTHER", "sp-secret-value-2")), HTTP));
        assertThat(e).hasMessageContaining("KV_SP_SECRET").hasMessageNotContaining("sp-secret-value-2");
    }

    @Test
    void missingCertificateFileIsNamed() {
        MisconfiguredException e = catchThrowableOfType(MisconfiguredException.class,
                () -> new AzureIdentityTransport().credential("akv",
                        settings(Map.of("auth", "clientCertificate", "clientCertificatePath", "no/such/sp.pem")),
                        context(Map.of()), HTTP));
        assertThat(e).hasMessageContaining("sp.pem").hasMessageContaining("clientCertificatePath");
    }
}
