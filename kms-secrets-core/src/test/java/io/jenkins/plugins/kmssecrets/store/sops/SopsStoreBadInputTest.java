package io.jenkins.plugins.kmssecrets.store.sops;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.StoreUnavailableException;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.testing.TestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files and names the store cannot use get one clear line naming the store and the file. */
class SopsStoreBadInputTest {

    @TempDir
    Path dir;

    private SopsStore store(Path file) {
        return new SopsStore("local", file, new StoreContext(Map.of("SOPS_AGE_KEY_FILE",
                TestData.path("sops/getsops-sops/age/keys.txt").toString()), dir, Clock.systemUTC()));
    }

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void missingFileIsUnavailableLikeAnUnreachableVault() {
        assertThatThrownBy(() -> store(dir.resolve("nope.enc.yaml")).list())
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("store 'local': " + dir.resolve("nope.enc.yaml") + ": no such file");
    }

    @Test
    void fileOverFourMebibytesIsRefusedBeforeParsing() throws Exception {
        Path file = dir.resolve("big.enc.yaml");
        Files.write(file, new byte[(int) SopsFile.MAX_BYTES + 1]);
        assertThatThrownBy(() -> store(file).list())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("file is 4194305 bytes; the limit is 4194304 bytes");
    }

    @Test
    void nonUtf8FileIsRefusedWithTheOffset() throws Exception {
        Path file = dir.resolve("latin1.enc.yaml");
        Files.write(file, "key: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> store(file).list())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not valid UTF-8 (first bad byte at offset 8)");
    }

    @Test
    void plainYamlWithoutSopsMetadataIsRefused() throws Exception {
        Path file = write("plain.yaml", "password: hunter2\n");
        assertThatThrownBy(() -> store(file).list())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not a SOPS-encrypted file (no 'sops' metadata mapping)")
                .message().doesNotContain("hunter2");
    }

    @Test
    void yamlAliasBombIsRefused() throws Exception {
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            char prev = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [*").append(prev).append(", *").append(prev)
                    .append(", *").append(prev).append(", *").append(prev).append(", *").append(prev)
                    .append(", *").append(prev).append(", *").append(prev).append(", *").append(prev).append("]\n");
        }
        Path file = write("bomb.yaml", bomb.toString());
        assertThatThrownBy(() -> store(file).list())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("store 'local'")
                .hasMessageContaining("bomb.yaml");
    }

    @Test
    void yamlSyntaxErrorNamesLineWithoutQuotingTheFile() throws Exception {
        Path file = write("broken.yaml", "ok: 1\nsecret: \"hunter2\n");
        assertThatThrownBy(() -> store(file).list())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("broken.yaml:")
                .message().doesNotContain("hunter2");
    }

    @Test
    void jsonSyntaxErrorNamesLineWithoutQuotingTheToken() throws Exception {
        Path file = write("broken.json", "{\"a\": hunter2}");
        assertThatThrownBy(() -> store(file).list())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("broken.json: invalid JSON at line 1")
                .message().doesNotContain("hunter2");
    }

    @Test
    void jsonDuplicateKeyIsRefused() throws Exception {
        Path file = write("dup.json", "{\"a\": \"1\", \"a\": \"2\", \"sops\": {}}");
        assertThatThrownBy(() -> store(file).list()).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void twoEncryptionRulesAreRefusedAsSopsDoes() throws Exception {
        String text = Files.readString(TestData.path("sops/getsops-sops/pr1031/example.yaml"))
                .replace("    unencrypted_suffix: _unencrypted", "    unencrypted_suffix: _unencrypted\n"
                        + "    encrypted_regex: ^x$");
        assertThatThrownBy(() -> store(write("two-rules.yaml", text)).list())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("sets both sops.unencrypted_suffix and sops.encrypted_regex");
    }

    @Test
    void commentRegexIsRefusedForYaml() throws Exception {
        String text = Files.readString(TestData.path("sops/getsops-sops/pr1031/example.yaml"))
                .replace("    unencrypted_suffix: _unencrypted", "    encrypted_comment_regex: sops:enc");
        assertThatThrownBy(() -> store(write("comment-rule.yaml", text)).list())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'encrypted_comment_regex' is not supported for YAML files");
    }

    @Test
    void shamirKeyGroupsAreRefused() throws Exception {
        String text = Files.readString(TestData.path("sops/fluxcd-kustomize-controller/algorithms/age.yaml"))
                .replace("  age:\n", "  key_groups:\n    - age: []\n    - age: []\n  age:\n");
        assertThatThrownBy(() -> store(write("shamir.yaml", text)).list())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("uses 2 key groups (Shamir secret sharing)");
    }

    @Test
    void emptyKeyGroupsInAnyFormAreAccepted() throws Exception {
        String yaml = Files.readString(TestData.path("sops/getsops-sops/pr1031/example.yaml"))
                .replace("    kms: []\n", "").replace("    gcp_kms: []\n", "    gcp_kms: null\n")
                .replace("    azure_kv: []\n", "    azure_kv:\n");
        org.assertj.core.api.Assertions.assertThat(store(write("groups.yaml", yaml))
                .fetch(SecretReference.parse("local:myapp1")).asString()).isEqualTo("t00m4nys3cr3tzupdated");
    }

    @Test
    void fileForNonAgeKeysOnlyIsMisconfigured() throws Exception {
        String text = Files.readString(TestData.path("sops/fluxcd-kustomize-controller/algorithms/age.yaml"));
        int start = text.indexOf("  age:\n");
        int end = text.indexOf("  lastmodified:");
        String pgpOnly = text.substring(0, start) + text.substring(end)
                .replace("  pgp: []", "  pgp:\n    - fp: ABCDEF\n      enc: x");
        assertThatThrownBy(() -> store(write("pgp.yaml", pgpOnly)).fetch(SecretReference.parse("local:stringData.key")))
                .isInstanceOf(MisconfiguredException.class)
                .hasMessageContaining("has no age recipient (it is encrypted for pgp)");
    }

    @Test
    void fileForNonAgeKeysOnlyIsReportedEvenWithoutAnIdentity() throws Exception {
        String text = Files.readString(TestData.path("sops/fluxcd-kustomize-controller/algorithms/age.yaml"))
                .replace("  kms: []", "  kms:\n    - arn: arn:aws:kms:eu-west-1:1:key/x\n      enc: x");
        String kmsOnly = text.substring(0, text.indexOf("  age:\n")) + text.substring(text.indexOf("  lastmodified:"));
        Path file = write("kms.yaml", kmsOnly);
        SopsStore store = new SopsStore("local", file, new StoreContext(Map.of("HOME", dir.toString()), dir,
                java.time.Clock.systemUTC()));
        assertThatThrownBy(() -> store.fetch(SecretReference.parse("local:stringData.key")))
                .isInstanceOf(MisconfiguredException.class)
                .hasMessageContaining("has no age recipient (it is encrypted for kms)");
    }

    @Test
    void yamlFileStartingWithAFlowMappingIsReadAsYaml() throws Exception {
        Path file = write("flow.yaml", "{a: b}\n");
        assertThatThrownBy(() -> store(file).list())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not a SOPS-encrypted file");
    }

    @Test
    void malformedKeyPathIsInvalidInput() {
        assertThatThrownBy(() -> store(TestData.path("sops/getsops-sops/pr1031/example.yaml"))
                .fetch(SecretReference.parse("local:an_array[x]")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("malformed key path: list index at column 10 must be a non-negative number");
    }

    @Test
    void propertyOfANonJsonValueIsInvalidInput() {
        assertThatThrownBy(() -> store(TestData.path("sops/getsops-sops/pr1031/example.yaml"))
                .fetch(SecretReference.parse("local:myapp1#field")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("store 'local', secret 'myapp1': the value is not a JSON object, so it has no property "
                        + "'field'");
    }

    @Test
    void missingPropertyIsNotFound() {
        assertThatThrownBy(() -> store(TestData.path("sops/getsops-sops/pr1031/example.json"))
                .fetch(SecretReference.parse("local:address#country")))
                .isInstanceOf(io.jenkins.plugins.kmssecrets.store.SecretNotFoundException.class)
                .hasMessageContaining("has no property 'country'");
    }
}
