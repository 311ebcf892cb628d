package io.jenkins.plugins.kmssecrets.store.sops;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.testing.TestData;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The real sops vectors in shared/testdata decrypt, with MAC verification, to the values PROVENANCE.md lists. */
class SopsStoreVectorsTest {

    static String fetch(String file, String keys, String name) {
        Path path = TestData.path(file);
        StoreContext context = new StoreContext(Map.of("SOPS_AGE_KEY_FILE", TestData.path(keys).toString()),
                path.getParent(), Clock.systemUTC());
        // Clear values too: these vectors pin sops' rules and MAC, which cover every value of the file.
        try (SecretValue value = new SopsStore("vectors", path, context).fetchIncludingClearValues(
                SecretReference.parse("vectors:" + name))) {
            return value.asString();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            myapp1                       | t00m4nys3cr3tzupdated
            app2.db.user                 | eve
            app2.db.password             | c4r1b0u
            number                       | 1234568000
            an_array[0]                  | secretuser1
            an_array[1]                  | secretuser2
            an_array[3]                  | some other value
            somebooleans[0]              | true
            somebooleans[1]              | false
            this.is.a.nested.value       | with something secret in it
            somelist_unencrypted[1]      | remain in clear text
            nested_unencrypted.this.is.all | going to remain in clear text
            """)
    void getsopsYamlExampleDecrypts(String name, String expected) {
        assertThat(fetch("sops/getsops-sops/pr1031/example.yaml", "sops/getsops-sops/age/keys.txt", name))
                .isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void getsopsYamlMultiLinePemDecrypts() {
        String pem = fetch("sops/getsops-sops/pr1031/example.yaml", "sops/getsops-sops/age/keys.txt", "app2.key");
        assertThat(pem).startsWith("-----BEGIN RSA PRIVATE KEY-----\n").contains("\n-----END RSA PRIVATE KEY-----");
    }

    @org.junit.jupiter.api.Test
    void getsopsYamlLongListItemDecrypts() {
        assertThat(fetch("sops/getsops-sops/pr1031/example.yaml", "sops/getsops-sops/age/keys.txt", "an_array[2]"))
                .startsWith("somelongvalueAAAA");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            firstName             | John
            lastName              | Smith
            age                   | 25.4
            address.city          | New York
            address.postalCode    | 10021-3100
            address.state         | NY
            address.streetAddress | 21 2nd Street
            phoneNumbers[0].number | 212 555-1234
            phoneNumbers[0].type  | home
            phoneNumbers[1].number | 646 555-4567
            phoneNumbers[1].type  | office
            """)
    void getsopsJsonExampleDecrypts(String name, String expected) {
        assertThat(fetch("sops/getsops-sops/pr1031/example.json", "sops/getsops-sops/age/keys.txt", name))
                .isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void getsopsJsonEmptyValueStaysEmpty() {
        assertThat(fetch("sops/getsops-sops/pr1031/example.json", "sops/getsops-sops/age/keys.txt", "anEmptyValue"))
                .isEmpty();
    }

    @org.junit.jupiter.api.Test
    void fluxEncryptedRegexFileDecrypts() {
        assertThat(fetch("sops/fluxcd-kustomize-controller/algorithms/age.yaml",
                "sops/fluxcd-kustomize-controller/keys/age.txt", "stringData.key")).isEqualTo("value");
    }

    @org.junit.jupiter.api.Test
    void fluxPlaintextValuesOfEncryptedRegexFileAreServedAfterMacCheck() {
        assertThat(fetch("sops/fluxcd-kustomize-controller/algorithms/age.yaml",
                "sops/fluxcd-kustomize-controller/keys/age.txt", "metadata.name")).isEqualTo("age");
    }

    @org.junit.jupiter.api.Test
    void fluxMergeFileDecrypts() {
        assertThat(fetch("sops/fluxcd-kustomize-controller/patches/merge1.yaml",
                "sops/fluxcd-kustomize-controller/keys/age.txt", "stringData.key")).isEqualTo("merge1");
    }

    @org.junit.jupiter.api.Test
    void subtreeFetchesAsJsonInDocumentOrder() {
        assertThat(fetch("sops/getsops-sops/pr1031/example.json", "sops/getsops-sops/age/keys.txt", "address"))
                .isEqualTo("{\"city\":\"New York\",\"postalCode\":\"10021-3100\",\"state\":\"NY\","
                        + "\"streetAddress\":\"21 2nd Street\"}");
    }

    @org.junit.jupiter.api.Test
    void propertySelectsChildOfSubtree() {
        assertThat(fetch("sops/getsops-sops/pr1031/example.json", "sops/getsops-sops/age/keys.txt",
                "phoneNumbers[1]#number")).isEqualTo("646 555-4567");
    }
}
