package io.jenkins.plugins.kmssecrets.store.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Copies of the real vectors with one change each are refused with a one-line InvalidInputException. */
class SopsTamperTest {

    /** Plaintexts of the getsops example that must never show up in a message. */
    static final List<String> PLAINTEXTS = List.of("t00m4nys3cr3tzupdated", "c4r1b0u", "secretuser1", "secretuser2",
            "some other value", "with something secret in it", "BEGIN RSA PRIVATE KEY", "1234568000",
            "AGE-SECRET-KEY");

    @TempDir
    Path dir;

    private SecretStoreException fetchTampered(String from, String to, String name) throws Exception {
        return fetchTampered("sops/getsops-sops/pr1031/example.yaml", from, to, name);
    }

    private SecretStoreException fetchTampered(String vector, String from, String to, String name) throws Exception {
        String text = Files.readString(TestData.path(vector));
        assertThat(text).as("fixture contains the text to change").contains(from);
        Path copy = dir.resolve(Path.of(vector).getFileName().toString());
        Files.writeString(copy, text.replace(from, to));
        String keys = vector.contains("fluxcd") ? "sops/fluxcd-kustomize-controller/keys/age.txt"
                : "sops/getsops-sops/age/keys.txt";
        StoreContext context = new StoreContext(Map.of("SOPS_AGE_KEY_FILE", TestData.path(keys).toString()), dir,
                Clock.systemUTC());
        SopsStore store = new SopsStore("local", copy, context);
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                () -> store.fetch(SecretReference.parse("local:" + name)));
        assertThat(thrown).isInstanceOf(InvalidInputException.class);
        assertThat(thrown.getMessage()).doesNotContain("\n").contains("store 'local'")
                .contains(copy.getFileName().toString());
        for (String plaintext : PLAINTEXTS) {
            assertThat(thrown.getMessage()).doesNotContain(plaintext);
            assertThat(thrown.toString()).doesNotContain(plaintext);
        }
        return (SecretStoreException) thrown;
    }

    @Test
    void changedCiphertextByteIsRefused() throws Exception {
        SecretStoreException e = fetchTampered("data:KhLDS2R2H/BH32", "data:KhLDS2R2H/BH33", "myapp1");
        assertThat(e.getMessage()).contains("'myapp1' (line 1) failed authentication");
    }

    @Test
    void changedCiphertextRefusesEveryKeyOfTheFile() throws Exception {
        SecretStoreException e = fetchTampered("data:KhLDS2R2H/BH32", "data:KhLDS2R2H/BH33", "app2.db.user");
        assertThat(e.getMessage()).contains("failed authentication");
    }

    @Test
    void valuesSwappedBetweenKeysAreRefused() throws Exception {
        String text = Files.readString(TestData.path("sops/getsops-sops/pr1031/example.yaml"));
        String user = text.lines().filter(l -> l.contains("user: ENC")).findFirst().orElseThrow().trim()
                .substring("user: ".length());
        String password = text.lines().filter(l -> l.contains("password: ENC")).findFirst().orElseThrow().trim()
                .substring("password: ".length());
        Path copy = dir.resolve("swapped.yaml");
        Files.writeString(copy, text.replace(user, "@@USER@@").replace(password, user).replace("@@USER@@", password));
        StoreContext context = new StoreContext(Map.of("SOPS_AGE_KEY_FILE",
                TestData.path("sops/getsops-sops/age/keys.txt").toString()), dir, Clock.systemUTC());
        assertThatThrownBy(() -> new SopsStore("local", copy, context).fetch(SecretReference.parse("local:myapp1")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'app2.db.user' (line 4) failed authentication");
    }

    @Test
    void listItemsSwappedFailTheMac() throws Exception {
        String text = Files.readString(TestData.path("sops/getsops-sops/pr1031/example.yaml"));
        List<String> items = text.lines().filter(l -> l.startsWith("    - ENC[")).toList();
        Path copy = dir.resolve("swapped-items.yaml");
        Files.writeString(copy, text.replace(items.get(0), "@@0@@").replace(items.get(1), items.get(0))
                .replace("@@0@@", items.get(1)));
        StoreContext context = new StoreContext(Map.of("SOPS_AGE_KEY_FILE",
                TestData.path("sops/getsops-sops/age/keys.txt").toString()), dir, Clock.systemUTC());
        assertThatThrownBy(() -> new SopsStore("local", copy, context).fetch(SecretReference.parse("local:myapp1")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("MAC mismatch");
    }

    @Test
    void editedUnencryptedSuffixValueFailsTheMac() throws Exception {
        SecretStoreException e = fetchTampered("remain in clear text", "remain in clear text!", "myapp1");
        assertThat(e.getMessage()).contains("MAC mismatch");
    }

    @Test
    void addedPlaintextKeyFailsTheMac() throws Exception {
        SecretStoreException e = fetchTampered("nested_unencrypted:", "injected_unencrypted: x\nnested_unencrypted:",
                "myapp1");
        assertThat(e.getMessage()).contains("MAC mismatch");
    }

    @Test
    void removedValueFailsTheMac() throws Exception {
        String text = Files.readString(TestData.path("sops/getsops-sops/pr1031/example.yaml"));
        String myapp = text.lines().findFirst().orElseThrow() + "\n";
        SecretStoreException e = fetchTampered(myapp, "", "app2.db.user");
        assertThat(e.getMessage()).contains("MAC mismatch");
    }

    @Test
    void editedLastModifiedIsRefused() throws Exception {
        SecretStoreException e = fetchTampered("2022-03-15T22:11:15Z", "2022-03-15T22:11:16Z", "myapp1");
        assertThat(e.getMessage()).contains("the MAC failed authentication");
    }

    @Test
    void changedJsonCiphertextIsRefusedWithItsLine() throws Exception {
        SecretStoreException e = fetchTampered("sops/getsops-sops/pr1031/example.json", "data:yCl85sw=",
                "data:yDl85sw=", "firstName");
        assertThat(e.getMessage()).contains("'lastName' (line 3) failed authentication");
    }

    @Test
    void valueAddedWhereSopsLeftAnEmptyStringIsRefused() throws Exception {
        SecretStoreException e = fetchTampered("sops/getsops-sops/pr1031/example.json", "\"anEmptyValue\": \"\"",
                "\"anEmptyValue\": \"x\"", "firstName");
        assertThat(e.getMessage()).contains("'anEmptyValue' (line 21) is not in sops' ENC[AES256_GCM,...] format");
    }

    @Test
    void editedPlaintextOfEncryptedRegexFileFailsTheMac() throws Exception {
        SecretStoreException e = fetchTampered("sops/fluxcd-kustomize-controller/algorithms/age.yaml",
                "name: age", "name: other", "stringData.key");
        assertThat(e.getMessage()).contains("MAC mismatch");
    }

    @Test
    void plaintextPutWhereAnEncryptedValueBelongsIsRefused() throws Exception {
        String text = Files.readString(TestData.path("sops/getsops-sops/pr1031/example.yaml"));
        String myapp = text.lines().findFirst().orElseThrow();
        SecretStoreException e = fetchTampered(myapp, "myapp1: replaced", "app2.db.user");
        assertThat(e.getMessage()).contains("'myapp1' (line 1) is not in sops' ENC[AES256_GCM,...] format");
    }

    @Test
    void changedTypeThatDoesNotFitThePlaintextIsRefused() throws Exception {
        // GCM does not cover the type tag (nor does sops); a type the plaintext cannot have is still refused.
        SecretStoreException e = fetchTampered("type:float]", "type:bool]", "myapp1");
        assertThat(e.getMessage()).contains("'number' (line 8) is not a valid bool");
    }

    @Test
    void macRemovedIsRefused() throws Exception {
        String text = Files.readString(TestData.path("sops/getsops-sops/pr1031/example.yaml"));
        String mac = text.lines().filter(l -> l.contains("mac: ENC")).findFirst().orElseThrow();
        SecretStoreException e = fetchTampered(mac, "    mac: \"\"", "myapp1");
        assertThat(e.getMessage()).contains("sops.mac is missing");
    }

    @Test
    void corruptDataKeyIsRefusedAsInvalidInput() throws Exception {
        SecretStoreException e = fetchTampered("YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBnYU4zaDZ3dFNXTGRLN2Qr",
                "YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBnYU4zaDZ3dFNXTGRLN2Ds", "myapp1");
        assertThat(e.getMessage()).contains("the data key for age recipient "
                + "age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw cannot be decrypted");
    }
}
