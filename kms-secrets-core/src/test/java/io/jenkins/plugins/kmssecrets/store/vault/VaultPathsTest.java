package io.jenkins.plugins.kmssecrets.store.vault;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VaultPathsTest {

    @ParameterizedTest
    @ValueSource(strings = {"netbox", "apps/netbox", "ci/db/main", "with space/x", "a:b", "ünïcode/x"})
    void keyPathsAreAccepted(String path) {
        assertThat(VaultStore.isValidPath(path)).as(path).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/abs", "trailing/", "a//b", "a/../b", "./a", "..", "tab\there"})
    void malformedPathsAreRejected(String path) {
        assertThat(VaultStore.isValidPath(path)).as(path).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b/c", "x%y", "a?b", "a#b"})
    void segmentsAreUrlEncodedAndSlashesKept(String path) {
        assertThat(VaultPaths.encode(path)).doesNotContain(" ", "?", "#").contains("/".repeat(
                (int) path.chars().filter(c -> c == '/').count()));
    }
}
