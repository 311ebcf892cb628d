package io.jenkins.plugins.kmssecrets.store.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretNotFoundException;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.testing.TestData;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** list, describe and versions read the plaintext structure only: they work without any age identity. */
class SopsStoreMetadataTest {

    @TempDir
    Path home;

    private SopsStore store(String vector) {
        // No SOPS_AGE_KEY*, and HOME without a key file: any attempt to decrypt would fail.
        return new SopsStore("local", TestData.path(vector),
                new StoreContext(Map.of("HOME", home.toString()), home, Clock.systemUTC()));
    }

    @Test
    void listNamesEveryEncryptedValueInDocumentOrderWithoutAKey() {
        List<String> names = store("sops/getsops-sops/pr1031/example.yaml").list().stream()
                .map(SecretMetadata::name).toList();
        // somelist_unencrypted[*] and nested_unencrypted.* are kept in clear by the default unencrypted_suffix.
        assertThat(names).containsExactly("myapp1", "app2.db.user", "app2.db.password", "app2.key", "number",
                "an_array[0]", "an_array[1]", "an_array[2]", "an_array[3]", "somebooleans[0]", "somebooleans[1]",
                "this.is.a.nested.value");
    }

    @Test
    void listLeavesOutValuesAnEncryptedRegexKeepsInClear() {
        List<SecretMetadata> list = store("sops/fluxcd-kustomize-controller/algorithms/age.yaml").list();
        assertThat(list).extracting(SecretMetadata::name).contains("stringData.key")
                .doesNotContain("metadata.name", "kind", "apiVersion");
        assertThat(list).allSatisfy(m -> assertThat(m.tags()).containsEntry("encrypted", "true"));
    }

    @Test
    void listReportsLastModifiedTypeAndEncryption() {
        SecretMetadata number = store("sops/getsops-sops/pr1031/example.yaml").list().stream()
                .filter(m -> m.name().equals("number")).findFirst().orElseThrow();
        assertThat(number.updated()).isEqualTo(Instant.parse("2022-03-15T22:11:15Z"));
        assertThat(number.tags()).containsEntry("type", "float").containsEntry("encrypted", "true");
        assertThat(number.storeId()).isEqualTo("local");
        assertThat(number.version()).isNull();
        assertThat(number.enabled()).isTrue();
    }

    @Test
    void listOfJsonFileIncludesTheEmptyValue() {
        List<SecretMetadata> list = store("sops/getsops-sops/pr1031/example.json").list();
        assertThat(list).extracting(SecretMetadata::name).contains("phoneNumbers[1].type", "anEmptyValue");
        assertThat(list).hasSize(12);
    }

    @Test
    void describeOfAnUnencryptedValueSaysItIsNoSecret() {
        assertThatThrownBy(() -> store("sops/fluxcd-kustomize-controller/algorithms/age.yaml")
                .describe(SecretReference.parse("local:metadata.name")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("store 'local', secret 'metadata.name': the file keeps this value "
                        + "unencrypted (sops.encrypted_regex '^(data|stringData)$'), so it is not a secret");
    }

    @Test
    void fetchOfAValueWithTheUnencryptedSuffixIsRefusedBeforeLookingForAKey() {
        SopsStore store = store("sops/getsops-sops/pr1031/example.yaml");
        for (String name : List.of("somelist_unencrypted[1]", "nested_unencrypted", "nested_unencrypted.this.is.all")) {
            assertThatThrownBy(() -> store.fetch(SecretReference.parse("local:" + name)))
                    .as(name).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("unencrypted (sops.unencrypted_suffix '_unencrypted'), so it is not a "
                            + "secret");
        }
    }

    @Test
    void describeOfAMappingWithEncryptedValuesIsStillJson() {
        SecretMetadata m = store("sops/fluxcd-kustomize-controller/algorithms/age.yaml")
                .describe(SecretReference.parse("local:stringData"));
        assertThat(m.contentType()).isEqualTo("application/json");
        assertThat(m.updated()).isEqualTo(Instant.parse("2024-11-12T13:33:42Z"));
    }

    @Test
    void describeOfAMappingIsJson() {
        SecretMetadata m = store("sops/getsops-sops/pr1031/example.yaml").describe(SecretReference.parse("local:app2"));
        assertThat(m.contentType()).isEqualTo("application/json");
        assertThat(m.tags()).containsEntry("type", "object");
    }

    @Test
    void describeOfAMissingPathIsNotFound() {
        assertThatThrownBy(() -> store("sops/getsops-sops/pr1031/example.yaml")
                .describe(SecretReference.parse("local:app2.db.nope")))
                .isInstanceOf(SecretNotFoundException.class)
                .hasMessage("store 'local', secret 'app2.db.nope': no such key path in "
                        + TestData.path("sops/getsops-sops/pr1031/example.yaml")
                        + "; 'kms-secrets list local' shows the names it has");
    }

    @Test
    void fetchOfAMissingPathIsNotFoundEvenWithoutAKey() {
        assertThatThrownBy(() -> store("sops/getsops-sops/pr1031/example.yaml")
                .fetch(SecretReference.parse("local:an_array[4]")))
                .isInstanceOf(SecretNotFoundException.class);
    }

    @Test
    void versionsHoldsTheSingleCurrentEntry() {
        List<SecretMetadata> versions = store("sops/getsops-sops/pr1031/example.yaml").versions("app2.db.password");
        assertThat(versions).hasSize(1);
        assertThat(versions.get(0).name()).isEqualTo("app2.db.password");
    }

    @Test
    void pinnedVersionIsNotFound() {
        assertThatThrownBy(() -> store("sops/getsops-sops/pr1031/example.yaml")
                .fetch(SecretReference.parse("local:myapp1@3")))
                .isInstanceOf(SecretNotFoundException.class)
                .hasMessageContaining("version '3' not found");
    }

    @Test
    void typeAndIdAreReported() {
        SopsStore store = store("sops/getsops-sops/pr1031/example.yaml");
        assertThat(store.type()).isEqualTo("sops");
        assertThat(store.id()).isEqualTo("local");
    }
}
