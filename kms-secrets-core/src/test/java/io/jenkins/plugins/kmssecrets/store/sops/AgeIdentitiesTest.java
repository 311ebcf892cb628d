package io.jenkins.plugins.kmssecrets.store.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Identities collected before a later source fails are overwritten, not left behind for the garbage collector. */
class AgeIdentitiesTest {

    @TempDir
    Path dir;

    private static String identity() throws Exception {
        return Files.readString(SopsStoreKeyLookupTest.GETSOPS_KEYS);
    }

    private static boolean allZero(char[] key) {
        for (char c : key) {
            if (c != '\0') {
                return false;
            }
        }
        return true;
    }

    private List<AgeIdentities.Identity> findFailing(Map<String, String> env) {
        List<AgeIdentities.Identity> found = new ArrayList<>();
        StoreContext context = new StoreContext(env, dir, Clock.systemUTC());
        assertThatThrownBy(() -> AgeIdentities.find(context, null, "local", "x", found))
                .isInstanceOf(MisconfiguredException.class);
        return found;
    }

    @Test
    void identitiesFromSopsAgeKeyAreWipedWhenTheKeyFileIsMissing() throws Exception {
        List<AgeIdentities.Identity> found = findFailing(Map.of("SOPS_AGE_KEY", identity(),
                "SOPS_AGE_KEY_FILE", dir.resolve("missing.txt").toString(), "HOME", dir.toString()));

        assertThat(found).hasSize(2);
        assertThat(found).allSatisfy(identity -> assertThat(allZero(identity.key())).isTrue());
    }

    @Test
    void identitiesFromSopsAgeKeyAreWipedWhenTheDefaultFileHoldsAPluginIdentity() throws Exception {
        Files.createDirectories(dir.resolve(".config/sops/age"));
        Files.writeString(dir.resolve(".config/sops/age/keys.txt"), "AGE-PLUGIN-YUBIKEY-1QQQQQQ\n");

        List<AgeIdentities.Identity> found = findFailing(Map.of("SOPS_AGE_KEY", identity(), "HOME", dir.toString()));

        assertThat(found).hasSize(2);
        assertThat(found).allSatisfy(identity -> assertThat(allZero(identity.key())).isTrue());
    }

    @Test
    void earlierLinesOfTheSameSourceAreWipedWhenALaterLineIsNotAnIdentity() throws Exception {
        List<AgeIdentities.Identity> found = findFailing(Map.of("SOPS_AGE_KEY",
                identity() + "\nssh-ed25519 AAAA\n", "HOME", dir.toString()));

        assertThat(found).hasSize(2);
        assertThat(found).allSatisfy(identity -> assertThat(allZero(identity.key())).isTrue());
    }

    @Test
    void identitiesAreKeptWhenEverySourceSucceeds() throws Exception {
        List<AgeIdentities.Identity> found = new ArrayList<>();
        StoreContext context = new StoreContext(Map.of("SOPS_AGE_KEY", identity(), "HOME", dir.toString()), dir,
                Clock.systemUTC());
        try (AgeIdentities identities = AgeIdentities.find(context, null, "local", "x", found)) {
            assertThat(identities.identities()).hasSize(2);
            assertThat(allZero(identities.identities().get(0).key())).isFalse();
        }
    }
}
