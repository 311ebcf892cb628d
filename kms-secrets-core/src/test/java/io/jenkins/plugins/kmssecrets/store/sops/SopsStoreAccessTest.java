package io.jenkins.plugins.kmssecrets.store.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kmssecrets.check.CheckResult;
import io.jenkins.plugins.kmssecrets.check.CheckStatus;
import io.jenkins.plugins.kmssecrets.check.CheckTarget;
import io.jenkins.plugins.kmssecrets.check.SecretCheck;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.AccessVerification;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.ReadAccess;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.StoreSet;
import io.jenkins.plugins.kmssecrets.store.StoreUnavailableException;
import io.jenkins.plugins.kmssecrets.store.cache.CachingSecretStore;
import io.jenkins.plugins.kmssecrets.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Test connection" for a SOPS store ({@link SopsStore#verifyAccess()}) and its read check: the age identity must
 * unwrap the file's data key, proven without decrypting a single value.
 */
class SopsStoreAccessTest {

    private static final String VECTOR = "sops/getsops-sops/pr1031/example.yaml";
    private static final String RIGHT_KEY = "sops/getsops-sops/age/keys.txt";
    /** An age identity of another vector: valid, but not a recipient of the getsops example. */
    private static final String WRONG_KEY = "sops/fluxcd-kustomize-controller/keys/age.txt";

    @TempDir
    Path dir;

    private SopsStore store(Path file, String keys) {
        Map<String, String> env = keys == null ? Map.of("HOME", dir.toString())
                : Map.of("SOPS_AGE_KEY_FILE", TestData.path(keys).toString());
        return new SopsStore("local", file, new StoreContext(env, dir, Clock.systemUTC()));
    }

    @Test
    void rightKeyUnwrapsTheDataKeyAndCountsTheSecrets() {
        AccessVerification verified = store(TestData.path(VECTOR), RIGHT_KEY).verifyAccess();

        assertThat(verified.secrets()).isEqualTo(12);
        assertThat(verified.summary()).isEqualTo("12 secrets listed; the data key unwraps with the age identity "
                + "(no value decrypted)");
    }

    @Test
    void wrongKeyFailsTheConnectionTest() {
        assertThatThrownBy(() -> store(TestData.path(VECTOR), WRONG_KEY).verifyAccess())
                .isInstanceOf(MisconfiguredException.class)
                .hasMessageStartingWith("store 'local': none of the")
                .satisfies(e -> {
                    for (String plaintext : SopsTamperTest.PLAINTEXTS) {
                        assertThat(e.getMessage()).doesNotContain(plaintext);
                    }
                });
    }

    @Test
    void missingKeyFailsTheConnectionTest() {
        assertThatThrownBy(() -> store(TestData.path(VECTOR), null).verifyAccess())
                .isInstanceOf(MisconfiguredException.class)
                .hasMessageContaining("no age identity found");
    }

    @Test
    void connectionTestDecryptsNoValue() throws Exception {
        // Swap two values' ciphertexts: each is bound to its key path, so decrypting either fails, but the data key
        // (in the sops metadata) is untouched. A connection test that decrypted a value would fail here.
        String text = Files.readString(TestData.path(VECTOR));
        String first = between(text, "myapp1: ", "\n");
        String second = between(text, "    user: ", "\n");
        Path swapped = dir.resolve("swapped.yaml");
        Files.writeString(swapped, text.replace(first, "@@FIRST@@").replace(second, first)
                .replace("@@FIRST@@", second));
        SopsStore store = store(swapped, RIGHT_KEY);

        assertThat(store.verifyAccess().secrets()).isEqualTo(12);
        assertThatThrownBy(() -> store.fetch(SecretReference.parse("local:myapp1")))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void missingFileFailsTheConnectionTestAsUnavailable() {
        assertThatThrownBy(() -> store(dir.resolve("gone.yaml"), RIGHT_KEY).verifyAccess())
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("store 'local': " + dir.resolve("gone.yaml") + ": no such file");
    }

    @Test
    void cachedStoreAsksTheBackendEveryTime() {
        CachingSecretStore cached = CachingSecretStore.withDefaults(store(TestData.path(VECTOR), WRONG_KEY));
        cached.list();

        assertThatThrownBy(cached::verifyAccess).isInstanceOf(MisconfiguredException.class);
        cached.close();
    }

    @Test
    void checkReportsReadableOnlyWhenTheKeyUnwrapsTheDataKey() {
        CheckTarget target = CheckTarget.of(SecretReference.parse("local:app2.db.password"));
        CheckResult right = new SecretCheck(StoreSet.of(store(TestData.path(VECTOR), RIGHT_KEY)),
                Clock.systemUTC(), 30, 1).run(List.of(target)).results().get(0);
        CheckResult wrong = new SecretCheck(StoreSet.of(store(TestData.path(VECTOR), WRONG_KEY)),
                Clock.systemUTC(), 30, 1).run(List.of(target)).results().get(0);

        assertThat(right.readable()).isEqualTo(ReadAccess.READABLE);
        assertThat(right.status()).isEqualTo(CheckStatus.OK);
        assertThat(wrong.readable()).isEqualTo(ReadAccess.NOT_READABLE);
        assertThat(wrong.status()).isEqualTo(CheckStatus.FAIL);
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start) + start.length();
        return text.substring(from, text.indexOf(end, from));
    }
}
