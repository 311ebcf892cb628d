package io.jenkins.plugins.kmssecrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import io.jenkins.plugins.kmssecrets.store.gcp.GoogleSecretManagerStoreProvider;
import io.jenkins.plugins.kmssecrets.store.sops.SopsStoreProvider;
import io.jenkins.plugins.kmssecrets.store.vault.VaultStoreProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code gcloud auth application-default login} and {@code vault login} leave in HOME is a credential of the
 * manifest's stores: {@code exec} masks the ADC file's refresh token and client secret and the content of
 * {@code ~/.vault-token} in its command's output, like the credential variables.
 */
@DisabledOnOs(OS.WINDOWS)
class LocalSignInMaskingTest {

    static final Path DEMO = Path.of("..", "examples", "demo").toAbsolutePath().normalize();
    static final String REFRESH_TOKEN = "1//mask-refresh-token-0c9a7e";
    static final String CLIENT_SECRET = "mask-client-secret-55d1b3";
    static final String VAULT_TOKEN = "hvs.mask-vault-token-e2f470";

    @TempDir
    Path dir;

    Path home;

    @BeforeEach
    void setUp() throws Exception {
        home = Files.createDirectories(dir.resolve("home"));
        Path adc = home.resolve(".config/gcloud/application_default_credentials.json");
        Files.createDirectories(adc.getParent());
        Files.writeString(adc, "{\"client_id\":\"c\",\"client_secret\":\"" + CLIENT_SECRET + "\",\"refresh_token\":\""
                + REFRESH_TOKEN + "\",\"type\":\"authorized_user\"}");
        Files.writeString(home.resolve(".vault-token"), VAULT_TOKEN);
        Files.copy(DEMO.resolve("secrets.enc.yaml"), dir.resolve("dev.enc.yaml"));
        Files.copy(DEMO.resolve("demo-age-key.txt"), dir.resolve("dev-age-key.txt"));
        Files.writeString(dir.resolve("kms-secrets.yaml"), """
                stores:
                  - id: gsm
                    type: google-secret-manager
                    project: p
                    auth: adc
                  - id: vault
                    type: vault
                    address: http://127.0.0.1:1
                  - id: dev
                    type: sops
                    file: dev.enc.yaml
                    ageKeyFile: dev-age-key.txt
                secrets:
                  - env: A
                    ref: gsm:a
                  - env: B
                    ref: vault:ci/b#x
                  - env: DEMO
                    ref: dev:api.token
                """);
    }

    @Test
    void execMasksTheAdcFileAndTheVaultTokenFile() {
        CliRun run = CliRun.run(dir, Map.of("PATH", System.getenv("PATH"), "HOME", home.toString()),
                Clock.systemUTC(), StoreTypes.of(new GoogleSecretManagerStoreProvider(), new VaultStoreProvider(),
                        new SopsStoreProvider()), "",
                "exec", "--only", "DEMO", "--", "sh", "-c",
                "cat \"$HOME/.config/gcloud/application_default_credentials.json\"; echo; cat \"$HOME/.vault-token\"");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.stdout.strip()).isEqualTo("****\n****"); // the whole ADC JSON, then the token
        assertThat(run.all()).doesNotContain(REFRESH_TOKEN, CLIENT_SECRET, VAULT_TOKEN);
    }
}
