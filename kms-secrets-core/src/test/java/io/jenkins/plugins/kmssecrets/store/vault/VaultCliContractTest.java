package io.jenkins.plugins.kmssecrets.store.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.AccessDeniedException;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import io.jenkins.plugins.kmssecrets.testing.vault.FakeVault;
import io.jenkins.plugins.kmssecrets.testing.vault.SteppingClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code vault} store with no {@code tokenEnv}/{@code tokenFile} finds its token as the vault CLI does:
 * {@code VAULT_TOKEN}, else the {@code token_helper} of {@code ~/.vault}, else {@code ~/.vault-token}; and takes
 * {@code VAULT_ADDR}, {@code VAULT_NAMESPACE} and {@code VAULT_CACERT} as defaults below the manifest's settings.
 * "Home" is a temporary directory handed in as {@code HOME}; the fake Vault knows only the token the test expects, so
 * a successful read proves which token was sent.
 */
@DisabledOnOs(OS.WINDOWS)
class VaultCliContractTest {

    private static final String VALUE = "vault-cli-value-3e9d";
    private static final String HELPER_TOKEN = "hvs.helper-token-sentinel-81af";
    private static final String FILE_TOKEN = "hvs.file-token-sentinel-27bc";
    private static final String ENV_TOKEN = "hvs.env-token-sentinel-5d10";

    @TempDir
    Path dir;

    private final SteppingClock clock = new SteppingClock(Instant.parse("2026-06-01T00:00:00Z"));
    private FakeVault vault;
    private Path home;

    @BeforeEach
    void start() throws Exception {
        vault = FakeVault.start(clock).mount("secret", 2);
        vault.put("secret", "apps/netbox", Map.of("password", VALUE));
        home = Files.createDirectories(dir.resolve("home"));
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    private SecretStore store(Map<String, Object> settings, Map<String, String> env) {
        Map<String, Object> all = new HashMap<>(settings);
        all.putIfAbsent("retryDelay", "1ms");
        all.putIfAbsent("maxAttempts", 1);
        Map<String, String> environment = new HashMap<>(env);
        environment.putIfAbsent("HOME", home.toString());
        environment.putIfAbsent("VAULT_ADDR", vault.address().toString());
        return new VaultStoreProvider().create(new StoreDefinition("vault", "vault", all, null),
                new StoreContext(environment, dir, clock));
    }

    private static String read(SecretStore store) {
        try (SecretValue value = store.fetch(SecretReference.parse("vault:apps/netbox#password"))) {
            return value.asString();
        }
    }

    /** A token helper script that records its arguments and prints {@code token} for {@code get}. */
    private Path helper(String body) throws Exception {
        Path script = dir.resolve("vault-helper");
        Files.writeString(script, "#!/bin/sh\necho \"$@\" >> \"" + dir.resolve("helper-args") + "\"\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(home.resolve(".vault"), "# vault CLI configuration\ntoken_helper = \"" + script + "\"\n");
        return script;
    }

    @Test
    void vaultTokenFileInHomeIsUsedWhenNothingElseIsSet() throws Exception {
        vault.token(FILE_TOKEN, Duration.ZERO, false, "*:read,list");
        Files.writeString(home.resolve(".vault-token"), FILE_TOKEN);

        try (SecretStore store = store(Map.of(), Map.of())) {
            assertThat(read(store)).isEqualTo(VALUE);
        }
    }

    @Test
    void tokenHelperFromDotVaultIsRunWithGetAndWinsOverTheFile() throws Exception {
        vault.token(HELPER_TOKEN, Duration.ZERO, false, "*:read,list");
        Files.writeString(home.resolve(".vault-token"), FILE_TOKEN); // unknown to the fake: must not be used
        helper("[ \"$1\" = get ] && printf '%s\\n' '" + HELPER_TOKEN + "'");

        try (SecretStore store = store(Map.of(), Map.of())) {
            assertThat(read(store)).isEqualTo(VALUE);
        }
        assertThat(Files.readAllLines(dir.resolve("helper-args"))).containsExactly("get");
    }

    @Test
    void vaultConfigPathNamesAnotherConfigurationFile() throws Exception {
        vault.token(HELPER_TOKEN, Duration.ZERO, false, "*:read,list");
        helper("printf '%s' '" + HELPER_TOKEN + "'");
        Path moved = Files.move(home.resolve(".vault"), dir.resolve("vault.hcl"));

        try (SecretStore store = store(Map.of(), Map.of("VAULT_CONFIG_PATH", moved.toString()))) {
            assertThat(read(store)).isEqualTo(VALUE);
        }
    }

    @Test
    void vaultTokenVariableWinsOverHelperAndFile() throws Exception {
        vault.token(ENV_TOKEN, Duration.ZERO, false, "*:read,list");
        Files.writeString(home.resolve(".vault-token"), FILE_TOKEN);
        helper("printf '%s' '" + HELPER_TOKEN + "'");

        try (SecretStore store = store(Map.of(), Map.of("VAULT_TOKEN", ENV_TOKEN))) {
            assertThat(read(store)).isEqualTo(VALUE);
        }
        assertThat(dir.resolve("helper-args")).doesNotExist();
    }

    @Test
    void explicitTokenEnvIsNotOverriddenByTheCliContract() throws Exception {
        vault.token(ENV_TOKEN, Duration.ZERO, false, "*:read,list");
        Files.writeString(home.resolve(".vault-token"), FILE_TOKEN);

        try (SecretStore store = store(Map.of("tokenEnv", "CI_VAULT_TOKEN"), Map.of("CI_VAULT_TOKEN", ENV_TOKEN))) {
            assertThat(read(store)).isEqualTo(VALUE);
        }
    }

    @Test
    void noTokenAnywhereSaysWhereItLookedAndToRunVaultLogin() {
        try (SecretStore store = store(Map.of(), Map.of())) {
            assertThatThrownBy(() -> read(store)).isInstanceOf(MisconfiguredException.class)
                    .hasMessageContaining("VAULT_TOKEN is not set")
                    .hasMessageContaining(home.resolve(".vault-token").toString())
                    .hasMessageContaining("vault login");
        }
        assertThat(vault.count(FakeVault.READ)).isZero();
    }

    @Test
    void failingHelperIsNamedAndItsOutputIsNotRepeated() throws Exception {
        Path script = helper("echo '" + HELPER_TOKEN + "'; echo 'stderr " + HELPER_TOKEN + "' >&2; exit 3");

        try (SecretStore store = store(Map.of(), Map.of())) {
            assertThatThrownBy(() -> read(store)).isInstanceOf(MisconfiguredException.class)
                    .hasMessageContaining("token_helper " + script)
                    .hasMessageContaining("exit 3")
                    .hasMessageContaining("vault login")
                    .satisfies(e -> assertThat(stackText(e)).doesNotContain(HELPER_TOKEN));
        }
    }

    @Test
    void relativeHelperPathIsRefused() throws Exception {
        Files.writeString(home.resolve(".vault"), "token_helper = \"bin/helper\"\n");

        try (SecretStore store = store(Map.of(), Map.of())) {
            assertThatThrownBy(() -> read(store)).isInstanceOf(MisconfiguredException.class)
                    .hasMessageContaining("absolute path");
        }
    }

    @Test
    void rejectedHelperTokenIsNeverPrinted() throws Exception {
        helper("printf '%s' '" + HELPER_TOKEN + "'"); // the fake does not know this token

        try (SecretStore store = store(Map.of(), Map.of())) {
            assertThatThrownBy(() -> read(store)).isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("token_helper")
                    .satisfies(e -> assertThat(stackText(e)).doesNotContain(HELPER_TOKEN));
            assertThat(store.toString()).doesNotContain(HELPER_TOKEN);
        }
    }

    @Test
    void vaultNamespaceIsTheDefaultAndTheSettingWins() throws Exception {
        vault.token(ENV_TOKEN, Duration.ZERO, false, "*:read,list");
        Map<String, String> env = Map.of("VAULT_TOKEN", ENV_TOKEN, "VAULT_NAMESPACE", "team-a");

        try (SecretStore store = store(Map.of(), env)) {
            read(store);
        }
        assertThat(vault.namespacesSeen()).isNotEmpty().allMatch("team-a"::equals);
        try (SecretStore store = store(Map.of("namespace", "team-b"), env)) {
            read(store);
        }
        assertThat(vault.namespacesSeen()).contains("team-b");
    }

    @Test
    void vaultCacertIsTheDefaultCaBundleAndTheSettingWins() throws Exception {
        Path bad = Files.writeString(dir.resolve("env-ca.pem"), "not a certificate");
        Map<String, String> env = Map.of("VAULT_CACERT", bad.toString());

        assertThatThrownBy(() -> store(Map.of(), env)).isInstanceOf(MisconfiguredException.class)
                .hasMessageContaining("env-ca.pem");
        Files.writeString(dir.resolve("setting-ca.pem"), "also not a certificate");
        assertThatThrownBy(() -> store(Map.of("caCertFile", "setting-ca.pem"), env))
                .isInstanceOf(MisconfiguredException.class).hasMessageContaining("setting-ca.pem");
    }

    @Test
    void hclAndJsonConfigurationsNameTheHelper() throws Exception {
        Path hcl = Files.writeString(dir.resolve("a.hcl"), "// comment\n  token_helper=\"/opt/h\"\n");
        Path json = Files.writeString(dir.resolve("b.json"), "{\n  \"token_helper\": \"/opt/j\"\n}\n");
        Path commented = Files.writeString(dir.resolve("c.hcl"), "# token_helper = \"/opt/x\"\n");

        assertThat(VaultCliToken.tokenHelper(hcl)).isEqualTo("/opt/h");
        assertThat(VaultCliToken.tokenHelper(json)).isEqualTo("/opt/j");
        assertThat(VaultCliToken.tokenHelper(commented)).isNull();
    }

    private static String stackText(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
