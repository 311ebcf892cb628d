package io.jenkins.plugins.kmssecrets.store.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import io.jenkins.plugins.kmssecrets.testing.vault.FakeVault;
import io.jenkins.plugins.kmssecrets.testing.vault.SteppingClock;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultStoreProviderTest {

    private static final String VALUE = "s3cr3t-Value-never-printed";

    @TempDir
    Path dir;

    private final SteppingClock clock = new SteppingClock(Instant.parse("2026-06-01T00:00:00Z"));
    private final VaultStoreProvider provider = new VaultStoreProvider();

    private StoreContext context(Map<String, String> env) {
        return new StoreContext(env, dir, clock);
    }

    private static StoreDefinition definition(Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>(settings);
        all.putIfAbsent("retryDelay", "1ms");
        return new StoreDefinition("vault", "vault", all, null);
    }

    @Test
    void isRegisteredWithServiceLoader() {
        assertThat(StoreTypes.installed().get("vault")).isInstanceOf(VaultStoreProvider.class);
    }

    @Test
    void auditHeaderSettingNamesTheHeaderAndRejectsReservedOrMalformedNames() throws Exception {
        try (FakeVault vault = FakeVault.start(clock).mount("secret", 2)) {
            vault.token("hvs.audit-test", Duration.ZERO, false, "*:read,list");
            vault.put("secret", "db", Map.of("password", VALUE));
            try (SecretStore store = provider.create(definition(Map.of("address", vault.address().toString(),
                    "auditHeader", "X-Ci-Caller")), context(Map.of("VAULT_TOKEN", "hvs.audit-test")))) {
                store.describe(SecretReference.of("vault", "db"));
            }
            assertThat(vault.requests().all()).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.header("X-Ci-Caller")).isEqualTo("library; unscoped"));
        }
        for (String bad : List.of("X-Vault-Token", "Authorization", "X Bad", "X-Ctx:")) {
            assertThatThrownBy(() -> provider.create(definition(Map.of("address", "http://127.0.0.1:1",
                    "auditHeader", bad)), context(Map.of("VAULT_TOKEN", "t"))))
                    .as(bad).isInstanceOf(MisconfiguredException.class).hasMessageContaining("'auditHeader'");
        }
    }

    @Test
    void addressIsRequired() {
        assertThatThrownBy(() -> provider.create(definition(Map.of()), context(Map.of())))
                .isInstanceOf(MisconfiguredException.class).hasMessageContaining("'address'");
    }

    @Test
    void addressMustBeAnHttpUrl() {
        assertThatThrownBy(() -> provider.create(definition(Map.of("address", "vault:8200")), context(Map.of())))
                .isInstanceOf(MisconfiguredException.class).hasMessageContaining("http(s) URL");
    }

    @Test
    void unknownAuthMethodIsMisconfigured() {
        assertThatThrownBy(() -> provider.create(definition(Map.of("address", "http://127.0.0.1:1", "auth", "ldap")),
                context(Map.of())))
                .isInstanceOf(MisconfiguredException.class).hasMessageContaining("token, approle or kubernetes");
    }

    @Test
    void appRoleNeedsExactlyOneSecretIdSource() {
        assertThatThrownBy(() -> provider.create(definition(Map.of("address", "http://127.0.0.1:1",
                "auth", "approle", "roleId", "r", "secretIdFile", "a", "secretIdEnv", "B")), context(Map.of())))
                .isInstanceOf(MisconfiguredException.class).hasMessageContaining("'secretIdFile' or 'secretIdEnv'");
    }

    @Test
    void kvVersionMustBeOneOrTwo() {
        assertThatThrownBy(() -> provider.create(definition(Map.of("address", "http://127.0.0.1:1",
                "kvVersion", "3")), context(Map.of())))
                .isInstanceOf(MisconfiguredException.class).hasMessageContaining("1 or 2");
    }

    @Test
    void tokenComesFromVaultTokenByDefaultAndAddressFromVaultAddr() throws Exception {
        try (FakeVault vault = FakeVault.start(clock).mount("secret", 2)) {
            vault.token("hvs.from-env", Duration.ZERO, false, "*:read,list");
            vault.put("secret", "apps/netbox", Map.of("password", VALUE));

            try (SecretStore store = provider.create(definition(Map.of()), context(Map.of(
                    "VAULT_ADDR", vault.address().toString(), "VAULT_TOKEN", "hvs.from-env")));
                    SecretValue value = store.fetch(SecretReference.parse("vault:apps/netbox#password"))) {
                assertThat(value.asString()).isEqualTo(VALUE);
            }
        }
    }

    @Test
    void missingTokenVariableIsMisconfigured() throws Exception {
        try (FakeVault vault = FakeVault.start(clock).mount("secret", 2);
                SecretStore store = provider.create(definition(Map.of("address", vault.address().toString(),
                        "tokenEnv", "CI_VAULT_TOKEN")), context(Map.of()))) {
            assertThatThrownBy(store::list).isInstanceOf(MisconfiguredException.class)
                    .hasMessageContaining("environment variable CI_VAULT_TOKEN is not set");
        }
    }

    @Test
    void tokenFileIsReadAgainWhenVaultRejectsTheToken() throws Exception {
        try (FakeVault vault = FakeVault.start(clock).mount("secret", 2)) {
            vault.token("hvs.first", Duration.ZERO, false, "*:read,list");
            vault.token("hvs.second", Duration.ZERO, false, "*:read,list");
            vault.put("secret", "apps/netbox", Map.of("password", VALUE));
            Path tokenFile = dir.resolve("vault-token");
            Files.writeString(tokenFile, "hvs.first\n");

            try (SecretStore store = provider.create(definition(Map.of("address", vault.address().toString(),
                    "tokenFile", "vault-token")), context(Map.of()))) {
                store.list();
                // A Vault Agent rotates the sink file; the old token is revoked.
                Files.writeString(tokenFile, "hvs.second\n");
                vault.revoke("hvs.first");

                try (SecretValue value = store.fetch(SecretReference.parse("vault:apps/netbox#password"))) {
                    assertThat(value.asString()).isEqualTo(VALUE);
                }
            }
            assertThat(vault.count(FakeVault.LOOKUP_SELF)).isEqualTo(2);
        }
    }

    @Test
    void appRoleReadsTheSecretIdFromAFile() throws Exception {
        try (FakeVault vault = FakeVault.start(clock).mount("secret", 2)) {
            vault.appRole("role-1", "sid-from-file");
            vault.put("secret", "apps/netbox", Map.of("password", VALUE));
            Files.writeString(dir.resolve("secret-id"), "sid-from-file\n");

            try (SecretStore store = provider.create(definition(Map.of("address", vault.address().toString(),
                    "auth", "approle", "roleId", "role-1", "secretIdFile", "secret-id")), context(Map.of()));
                    SecretValue value = store.fetch(SecretReference.parse("vault:apps/netbox#password"))) {
                assertThat(value.asString()).isEqualTo(VALUE);
            }
            assertThat(vault.count(FakeVault.LOGIN)).isEqualTo(1);
        }
    }

    @Test
    void kubernetesReadsTheJwtFileAtLogin() throws Exception {
        try (FakeVault vault = FakeVault.start(clock).mount("secret", 2)) {
            vault.kubernetesRole("jenkins", "jwt-of-the-pod");
            vault.put("secret", "apps/netbox", Map.of("password", VALUE));
            Files.writeString(dir.resolve("token"), "jwt-of-the-pod");

            try (SecretStore store = provider.create(definition(Map.of("address", vault.address().toString(),
                    "auth", "kubernetes", "role", "jenkins", "jwtFile", "token")), context(Map.of()))) {
                assertThat(store.list()).hasSize(1);
            }
        }
    }

    @Test
    void customCaBundleIsTrustedForTls() throws Exception {
        Path keyStore = selfSignedKeyStore();
        try (FakeVault vault = FakeVault.startTls(clock, serverContext(keyStore)).mount("secret", 2)) {
            vault.token("hvs.tls", Duration.ZERO, false, "*:read,list");
            vault.put("secret", "apps/netbox", Map.of("password", VALUE));
            Map<String, String> env = Map.of("VAULT_TOKEN", "hvs.tls");

            try (SecretStore trusting = provider.create(definition(Map.of("address", vault.address().toString(),
                    "caCertFile", "ca.pem")), context(env))) {
                assertThat(trusting.list()).hasSize(1);
            }
            try (SecretStore untrusting = provider.create(definition(Map.of("address", vault.address().toString(),
                    "maxAttempts", "1")), context(env))) {
                // A configuration error, not an outage: named, not retried.
                assertThatThrownBy(untrusting::list).isInstanceOf(MisconfiguredException.class)
                        .hasMessageContaining("the certificate of " + vault.address() + " is not trusted")
                        .hasMessageContaining("set caCertFile")
                        .hasMessageNotContaining("attempts");
            }
        }
    }

    @Test
    void unreadableCaBundleIsMisconfigured() throws Exception {
        Files.writeString(dir.resolve("bad.pem"), "not a certificate");
        assertThatThrownBy(() -> provider.create(definition(Map.of("address", "https://127.0.0.1:1",
                "caCertFile", "bad.pem")), context(Map.of())))
                .isInstanceOf(MisconfiguredException.class).hasMessageContaining("bad.pem");
    }

    /** A PKCS#12 key store for localhost, and its certificate exported to ca.pem, made by the JDK's keytool. */
    private Path selfSignedKeyStore() throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path store = dir.resolve("server.p12");
        run(List.of(keytool.toString(), "-genkeypair", "-alias", "vault", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit"));
        run(List.of(keytool.toString(), "-exportcert", "-rfc", "-alias", "vault", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-file", dir.resolve("ca.pem").toString()));
        return store;
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("exit code of %s", command).isZero();
    }

    private static SSLContext serverContext(Path keyStore) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(factory.getKeyManagers(), null, null);
        return tls;
    }
}
