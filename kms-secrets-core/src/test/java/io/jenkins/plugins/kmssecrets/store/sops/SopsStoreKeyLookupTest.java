package io.jenkins.plugins.kmssecrets.store.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the store finds age identities, and what it says when it finds none or the wrong ones. */
class SopsStoreKeyLookupTest {

    static final Path EXAMPLE = TestData.path("sops/getsops-sops/pr1031/example.yaml");
    static final Path GETSOPS_KEYS = TestData.path("sops/getsops-sops/age/keys.txt");
    static final Path FLUX_KEYS = TestData.path("sops/fluxcd-kustomize-controller/keys/age.txt");

    @TempDir
    Path dir;

    private String fetchMyapp(Map<String, String> env, Path ageKeyFile) {
        Map<String, String> environment = new HashMap<>(env);
        environment.putIfAbsent("HOME", dir.toString());
        StoreContext context = new StoreContext(environment, dir, Clock.systemUTC());
        SopsStore store = new SopsStore("local", EXAMPLE, ageKeyFile, "example.yaml", context);
        try (SecretValue value = store.fetch(SecretReference.parse("local:myapp1"))) {
            return value.asString();
        }
    }

    private static String identities(Path keyFile) throws Exception {
        return Files.readString(keyFile);
    }

    @Test
    void sopsAgeKeyFileIsUsed() {
        assertThat(fetchMyapp(Map.of("SOPS_AGE_KEY_FILE", GETSOPS_KEYS.toString()), null))
                .isEqualTo("t00m4nys3cr3tzupdated");
    }

    @Test
    void sopsAgeKeyWithSeveralLinesIsUsed() throws Exception {
        String both = identities(FLUX_KEYS) + "\n" + identities(GETSOPS_KEYS);
        assertThat(fetchMyapp(Map.of("SOPS_AGE_KEY", both), null)).isEqualTo("t00m4nys3cr3tzupdated");
    }

    @Test
    void relativeSopsAgeKeyFileResolvesAgainstTheBaseDirectory() throws Exception {
        Files.copy(GETSOPS_KEYS, dir.resolve("keys.txt"));
        assertThat(fetchMyapp(Map.of("SOPS_AGE_KEY_FILE", "keys.txt"), null)).isEqualTo("t00m4nys3cr3tzupdated");
    }

    @Test
    void identitiesFromEverySourceAreCombined() throws Exception {
        // SOPS_AGE_KEY holds a non-matching identity; the matching one is in SOPS_AGE_KEY_FILE.
        assertThat(fetchMyapp(Map.of("SOPS_AGE_KEY", identities(FLUX_KEYS),
                "SOPS_AGE_KEY_FILE", GETSOPS_KEYS.toString()), null)).isEqualTo("t00m4nys3cr3tzupdated");
    }

    @Test
    void xdgConfigHomeDefaultFileIsUsed() throws Exception {
        Path xdg = dir.resolve("xdg");
        Files.createDirectories(xdg.resolve("sops/age"));
        Files.copy(GETSOPS_KEYS, xdg.resolve("sops/age/keys.txt"));
        assertThat(fetchMyapp(Map.of("XDG_CONFIG_HOME", xdg.toString()), null)).isEqualTo("t00m4nys3cr3tzupdated");
    }

    @Test
    void homeConfigDefaultFileIsUsed() throws Exception {
        Files.createDirectories(dir.resolve(".config/sops/age"));
        Files.copy(GETSOPS_KEYS, dir.resolve(".config/sops/age/keys.txt"));
        assertThat(fetchMyapp(Map.of(), null)).isEqualTo("t00m4nys3cr3tzupdated");
    }

    @Test
    void ageKeyFileSettingReplacesTheEnvironmentLookup() {
        assertThatThrownBy(() -> fetchMyapp(Map.of("SOPS_AGE_KEY_FILE", GETSOPS_KEYS.toString()), FLUX_KEYS))
                .isInstanceOf(MisconfiguredException.class)
                .hasMessageContaining("setting ageKeyFile");
        assertThat(fetchMyapp(Map.of(), GETSOPS_KEYS)).isEqualTo("t00m4nys3cr3tzupdated");
    }

    @Test
    void noIdentitySaysWhereItLooked() {
        assertThatThrownBy(() -> fetchMyapp(Map.of(), null))
                .isInstanceOf(MisconfiguredException.class)
                .hasMessageStartingWith("store 'local', secret 'myapp1': no age identity found; looked in "
                        + "SOPS_AGE_KEY (not set), SOPS_AGE_KEY_FILE (not set), "
                        + dir.resolve(".config/sops/age/keys.txt"))
                .message().doesNotContain("\n");
    }

    @Test
    void missingSopsAgeKeyFileIsMisconfigured() {
        assertThatThrownBy(() -> fetchMyapp(Map.of("SOPS_AGE_KEY_FILE", dir.resolve("nope.txt").toString()), null))
                .isInstanceOf(MisconfiguredException.class)
                .hasMessageContaining("age key file " + dir.resolve("nope.txt") + " does not exist");
    }

    @Test
    void wrongIdentityNamesTheFileRecipientsButNeverTheIdentity() throws Exception {
        String flux = identities(FLUX_KEYS);
        assertThatThrownBy(() -> fetchMyapp(Map.of("SOPS_AGE_KEY", flux), null))
                .isInstanceOf(MisconfiguredException.class)
                .hasMessageContaining("matches a recipient of example.yaml; it is encrypted for "
                        + "age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw, "
                        + "age1tmaae3ld5vpevmsh5yacsauzx8jetg300mpvc4ugp5zr5l6ssq9sla97ep")
                .message().doesNotContain("AGE-SECRET-KEY").doesNotContain("age1l44xcng8dqj32nlv6d93")
                .doesNotContain("\n");
    }

    @Test
    void lineThatIsNotAnIdentityIsReportedByLineNumberOnly() {
        assertThatThrownBy(() -> fetchMyapp(Map.of("SOPS_AGE_KEY", "# comment\nsomething-secret-looking"), null))
                .isInstanceOf(MisconfiguredException.class)
                .hasMessageContaining("SOPS_AGE_KEY line 2 is not an age X25519 identity")
                .message().doesNotContain("something-secret-looking");
    }

    @Test
    void identityWithBadChecksumIsMisconfigured() throws Exception {
        String broken = identities(FLUX_KEYS).replace("AGE-SECRET-KEY-1", "AGE-SECRET-KEY-1Q");
        assertThatThrownBy(() -> fetchMyapp(Map.of("SOPS_AGE_KEY", broken), null))
                .isInstanceOf(MisconfiguredException.class)
                .hasMessageContaining("is not a valid age identity")
                .message().doesNotContain("AGE-SECRET-KEY");
    }

    @Test
    void identitiesAreWipedAfterUse() {
        Map<String, String> env = Map.of("SOPS_AGE_KEY_FILE", GETSOPS_KEYS.toString());
        AgeIdentities identities =
                AgeIdentities.find(new StoreContext(env, dir, Clock.systemUTC()), null, "local", "x");
        assertThat(identities.identities()).hasSize(2);
        identities.close();
        assertThat(identities.identities()).allSatisfy(identity ->
                assertThat(new String(identity.key())).containsOnlyOnce("\0".repeat(identity.key().length)));
        assertThat(identities.toString()).doesNotContain("AGE-SECRET-KEY");
    }
}
