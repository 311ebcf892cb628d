package io.jenkins.plugins.kmssecrets.store.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import io.jenkins.plugins.kmssecrets.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code sops} type is found with ServiceLoader and builds stores from manifest settings. */
class SopsStoreProviderTest {

    @TempDir
    Path dir;

    @Test
    void sopsTypeIsInstalled() {
        assertThat(StoreTypes.installed().get("sops")).isInstanceOf(SopsStoreProvider.class);
        assertThat(new SopsStoreProvider().settingKeys()).containsExactlyInAnyOrder("file", "ageKeyFile");
    }

    @Test
    void relativeFileAndKeyFileResolveAgainstTheBaseDirectory() throws Exception {
        Files.copy(TestData.path("sops/getsops-sops/pr1031/example.yaml"), dir.resolve("example.yaml"));
        Files.createDirectories(dir.resolve("keys"));
        Files.copy(TestData.path("sops/getsops-sops/age/keys.txt"), dir.resolve("keys/dev.txt"));
        StoreDefinition definition = new StoreDefinition("local", "sops",
                Map.of("file", "example.yaml", "ageKeyFile", "keys/dev.txt"), null);
        SecretStore store = StoreTypes.installed().create(definition,
                new StoreContext(Map.of(), dir, Clock.systemUTC()));
        assertThat(store.id()).isEqualTo("local");
        assertThat(store.fetch(SecretReference.parse("local:app2.db.password")).asString()).isEqualTo("c4r1b0u");
    }

    @Test
    void messagesNameTheFileAsWritten() {
        StoreDefinition definition = new StoreDefinition("local", "sops", Map.of("file", "secrets/missing.yaml"),
                null);
        SecretStore store = new SopsStoreProvider().create(definition,
                new StoreContext(Map.of(), dir, Clock.systemUTC()));
        assertThatThrownBy(store::list).hasMessage("store 'local': secrets/missing.yaml: no such file");
    }

    @Test
    void missingFileSettingIsMisconfigured() {
        StoreDefinition definition = new StoreDefinition("local", "sops", Map.of(), null);
        assertThatThrownBy(() -> new SopsStoreProvider().create(definition,
                new StoreContext(Map.of(), dir, Clock.systemUTC())))
                .isInstanceOf(MisconfiguredException.class)
                .hasMessageContaining("setting 'file' is required");
    }

    @Test
    void creatingAStoreReadsNothing() {
        StoreDefinition definition = new StoreDefinition("local", "sops", Map.of("file", "does-not-exist.yaml"),
                null);
        assertThat(new SopsStoreProvider().create(definition, new StoreContext(Map.of(), dir, Clock.systemUTC())))
                .isNotNull();
    }
}
