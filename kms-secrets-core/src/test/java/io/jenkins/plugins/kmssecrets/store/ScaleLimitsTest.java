package io.jenkins.plugins.kmssecrets.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.gax.core.NoCredentialsProvider;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.azure.AzureKeyVaultStoreProvider;
import io.jenkins.plugins.kmssecrets.store.gcp.GoogleSecretManagerStore;
import io.jenkins.plugins.kmssecrets.store.vault.VaultAuth;
import io.jenkins.plugins.kmssecrets.store.vault.VaultStore;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeKeyVaultServer;
import io.jenkins.plugins.kmssecrets.testing.gsm.FakeSecretManager;
import io.jenkins.plugins.kmssecrets.testing.vault.FakeVault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Bad input at scale, per store, against the real clients and the fakes: listings of thousands of secrets that the
 * fakes page (10,000 with {@code -Dkms.scale.listing=10000}; Vault, which does not page, at its 10,000 bound),
 * values at each provider's size limit (Key Vault 25 KB, Secret Manager 64 KiB) and beyond what Vault would accept,
 * and values that are not UTF-8 or hold NUL bytes, which must come back byte-exact.
 */
class ScaleLimitsTest {

    private static final int MANY = 10_000;
    /**
     * Secrets the paged listings (Key Vault, Secret Manager) hold: 500 in the suite (the fakes rebuild the whole list for
     * every page); {@code -Dkms.scale.listing=10000} for the full size (about two minutes).
     */
    private static final int PAGED = Integer.getInteger("kms.scale.listing", 500);
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private static Set<String> names(List<SecretMetadata> listed) {
        return listed.stream().map(SecretMetadata::name).collect(Collectors.toSet());
    }

    private static Set<String> expectedNames(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).collect(Collectors.toSet());
    }

    private static SecretStore akv(FakeKeyVaultServer fake) {
        StoreContext context = new StoreContext(Map.of(), Path.of("."), Clock.systemUTC());
        return new AzureKeyVaultStoreProvider(fake.transport()).create(fake.definition("akv", Map.of()), context);
    }

    private static SecretStore gsm(FakeSecretManager fake, int pageSize) {
        return GoogleSecretManagerStore.builder("gsm", "proj-1").endpoint(fake.endpoint())
                .credentials(NoCredentialsProvider.create()).pageSize(pageSize).maxAttempts(2)
                .retryDelay(Duration.ofMillis(1)).build();
    }

    private static SecretStore vault(FakeVault fake, String mount) {
        return VaultStore.builder("vault", fake.address(),
                VaultAuth.token(VaultAuth.CredentialSource.literal("token", "hvs.scale"), false))
                .mount(mount).kvVersion("kv1".equals(mount) ? 1 : 2).retryDelay(Duration.ofMillis(1)).build();
    }

    @Test
    void keyVaultListsThousandsOfSecretsAcrossItsPages() {
        try (FakeKeyVaultServer fake = FakeKeyVaultServer.start().pageSize(25)) {
            for (int i = 0; i < PAGED; i++) {
                fake.put("s" + i, "value-" + i, T0);
            }
            try (SecretStore store = akv(fake)) {
                List<SecretMetadata> listed = store.list();
                assertThat(listed).hasSize(PAGED);
                assertThat(names(listed)).isEqualTo(expectedNames("s", PAGED));
            }
            assertThat(fake.count(FakeKeyVaultServer.Operation.LIST_SECRETS)).isEqualTo((PAGED + 24) / 25);
            assertThat(fake.valueReads()).isZero();
        }
    }

    @Test
    void secretManagerListsThousandsOfSecretsAcrossItsPages() throws Exception {
        try (FakeSecretManager fake = FakeSecretManager.start("proj-1")) {
            for (int i = 0; i < PAGED; i++) {
                fake.secret("s" + i, Map.of());
            }
            try (SecretStore store = gsm(fake, 100)) {
                List<SecretMetadata> listed = store.list();
                assertThat(listed).hasSize(PAGED);
                assertThat(names(listed)).isEqualTo(expectedNames("s", PAGED));
            }
            assertThat(fake.calls(FakeSecretManager.LIST_SECRETS)).isEqualTo((PAGED + 99) / 100);
            assertThat(fake.calls(FakeSecretManager.ACCESS_SECRET_VERSION)).isZero();
        }
    }

    @Test
    void vaultListsTenThousandSecretsInOneListing() throws Exception {
        // Vault does not page LIST: one answer holds every key. A KV 1 mount has no per-secret metadata to read.
        try (FakeVault fake = FakeVault.start(Clock.systemUTC()).mount("kv1", 1)) {
            fake.token("hvs.scale", Duration.ZERO, false, "*:read,list");
            for (int i = 0; i < MANY; i++) {
                fake.put("kv1", "s" + i, Map.of("value", "value-" + i));
            }
            try (SecretStore store = vault(fake, "kv1")) {
                List<SecretMetadata> listed = store.list();
                assertThat(listed).hasSize(MANY);
                assertThat(names(listed)).isEqualTo(expectedNames("s", MANY));
            }
            assertThat(fake.count(FakeVault.LIST)).isEqualTo(1);
            assertThat(fake.count(FakeVault.READ)).isZero();
            // One more than the store's bound (maxListEntries, default 10,000): a clear error, not a partial list.
            fake.put("kv1", "one-too-many", Map.of("value", "v"));
            try (SecretStore store = vault(fake, "kv1")) {
                org.assertj.core.api.Assertions.assertThatThrownBy(store::list)
                        .isInstanceOf(MisconfiguredException.class)
                        .hasMessageContaining("more than maxListEntries 10000 secrets; narrow 'prefix'");
            }
        }
    }

    /** Text of exactly {@code bytes} UTF-8 bytes: ASCII, two-, three- and four-byte characters, quotes, controls. */
    private static String textOfBytes(int bytes, long seed) {
        String[] pieces = {"a", "Z", "\"", "\\", "\n", "\t", "\u00e9", "\u20ac", "\uD83D\uDD11", "%", "+", "/"};
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder();
        int size = 0;
        while (size < bytes) {
            String piece = pieces[random.nextInt(pieces.length)];
            int length = piece.getBytes(StandardCharsets.UTF_8).length;
            if (size + length > bytes) {
                piece = "x";
                length = 1;
            }
            text.append(piece);
            size += length;
        }
        return text.toString();
    }

    @Test
    void keyVaultValueAtTheServiceLimitComesBackExact() {
        // Key Vault's limit: 25 KB (25,600 bytes) per secret value.
        String value = textOfBytes(25 * 1024, 25);
        try (FakeKeyVaultServer fake = FakeKeyVaultServer.start()) {
            fake.put("big", value, T0);
            try (SecretStore store = akv(fake); SecretValue fetched = store.fetch(SecretReference.of("akv", "big"))) {
                assertThat(fetched.bytes()).isEqualTo(value.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void secretManagerBinaryValueAtTheServiceLimitComesBackByteExact() throws Exception {
        // Secret Manager's limit: 64 KiB of bytes, any bytes: NUL and invalid UTF-8 included.
        byte[] value = new byte[64 * 1024];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) (i * 7);
        }
        try (FakeSecretManager fake = FakeSecretManager.start("proj-1")) {
            fake.secret("big", Map.of()).addVersion("big", value);
            try (SecretStore store = gsm(fake, 100);
                    SecretValue fetched = store.fetch(SecretReference.of("gsm", "big"))) {
                assertThat(fetched.bytes()).isEqualTo(value);
                assertThat(fetched.isText()).isFalse();
                assertThat(fetched.toString()).doesNotContain("\0").isEqualTo("****");
            }
        }
    }

    @Test
    void vaultValueWithNulAndEveryControlCharacterComesBackExact() throws Exception {
        StringBuilder controls = new StringBuilder("nul\0in-the-middle");
        for (char c = 0; c < 0x20; c++) {
            controls.append(c);
        }
        String value = controls.toString();
        try (FakeVault fake = FakeVault.start(Clock.systemUTC()).mount("secret", 2)) {
            fake.token("hvs.scale", Duration.ZERO, false, "*:read,list");
            fake.put("secret", "controls", Map.of("value", value));
            try (SecretStore store = vault(fake, "secret");
                    SecretValue fetched = store.fetch(SecretReference.parse("vault:controls#value"))) {
                assertThat(fetched.bytes()).isEqualTo(value.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void vaultValueOfTwentyFourMebibytesComesBackExact() throws Exception {
        // Above the JSON parser's default string limit (20 M characters), below Vault's own 32 MiB request limit
        // (ASCII without escapes: the fake's JSON writer escapes a surrogate pair as 12 bytes).
        Random random = new Random(24);
        char[] chars = new char[24 * 1024 * 1024];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) ('a' + random.nextInt(26));
        }
        String value = new String(chars);
        try (FakeVault fake = FakeVault.start(Clock.systemUTC()).mount("secret", 2)) {
            fake.token("hvs.scale", Duration.ZERO, false, "*:read,list");
            fake.put("secret", "big", Map.of("value", value));
            try (SecretStore store = vault(fake, "secret");
                    SecretValue fetched = store.fetch(SecretReference.parse("vault:big#value"))) {
                assertThat(fetched.bytes()).isEqualTo(value.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void vaultResponseOverThirtyTwoMebibytesIsRefusedByName() throws Exception {
        // More than Vault's default max_request_size (32 MiB) could never have been written to a real Vault.
        String value = textOfBytes(33 * 1024 * 1024, 33);
        try (FakeVault fake = FakeVault.start(Clock.systemUTC()).mount("secret", 2)) {
            fake.token("hvs.scale", Duration.ZERO, false, "*:read,list");
            fake.put("secret", "huge", Map.of("value", value));
            try (SecretStore store = vault(fake, "secret")) {
                org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> store.fetch(SecretReference.parse("vault:huge#value")))
                        .isInstanceOf(InvalidInputException.class)
                        .hasMessage("store 'vault', secret 'huge': Vault's answer to GET secret/data/huge is larger than "
                                + "33619968 bytes (Vault's default max_request_size of 32 MiB, plus its envelope); no "
                                + "KV value can be that large, so it was not read");
            }
        }
    }
}
