package io.jenkins.plugins.kmssecrets.store.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretNotFoundException;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.WriteOptions;
import io.jenkins.plugins.kmssecrets.store.WrittenVersion;
import io.jenkins.plugins.kmssecrets.testing.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-encrypting one value of the real sops vectors in place: the result decrypts with our decryptor (the MAC
 * verifies), every other value decrypts as before, and only the value's line and the MAC line of the file change.
 * ({@code sops} itself is not installed here; our decryptor, proven on these vectors by SopsStoreVectorsTest, is the
 * oracle.)
 */
class SopsStoreWriteTest {

    private static final String SENTINEL = "SENTINEL-new-value-7f3a9c";

    @TempDir
    Path dir;

    private SopsStore store(Path file) {
        StoreContext context = new StoreContext(Map.of("SOPS_AGE_KEY_FILE",
                TestData.path("sops/getsops-sops/age/keys.txt").toString()), dir, Clock.systemUTC());
        return new SopsStore("sops", file, context);
    }

    private Path copy(String vector) throws IOException {
        Path source = TestData.path("sops/getsops-sops/pr1031/" + vector);
        Path file = dir.resolve(vector);
        Files.copy(source, file);
        return file;
    }

    /** Every value of the file (clear ones too), decrypted with MAC verification, by name. */
    private static Map<String, String> everything(SopsStore store, Path file) {
        Map<String, String> out = new LinkedHashMap<>();
        SopsFile sops = SopsFile.read(file, "file", "sops");
        for (SopsLeaf leaf : sops.leaves()) {
            try (SecretValue value = store.fetchIncludingClearValues(SecretReference.of("sops", leaf.name()))) {
                out.put(leaf.name(), value.asString());
            }
        }
        return out;
    }

    private static WrittenVersion write(SopsStore store, String reference, String value) {
        try (SecretValue secret = SecretValue.ofString(value)) {
            return store.write(SecretReference.parse(reference), secret, WriteOptions.DEFAULT);
        }
    }

    /** Line numbers (from 1) whose text differs; the files have the same number of lines. */
    private static List<Integer> changedLines(List<String> before, List<String> after) {
        assertThat(after).hasSameSizeAs(before);
        List<Integer> changed = new ArrayList<>();
        for (int i = 0; i < before.size(); i++) {
            if (!before.get(i).equals(after.get(i))) {
                changed.add(i + 1);
            }
        }
        return changed;
    }

    @Test
    void rewritesOneYamlValueAndOnlyItsLineAndTheMac() throws IOException {
        Path file = copy("example.yaml");
        SopsStore store = store(file);
        Map<String, String> before = everything(store, file);
        List<String> linesBefore = Files.readAllLines(file);

        WrittenVersion written = write(store, "sops:app2.db.password", SENTINEL);

        Map<String, String> after = everything(store, file);
        assertThat(after.get("app2.db.password")).isEqualTo(SENTINEL);
        Map<String, String> expected = new LinkedHashMap<>(before);
        expected.put("app2.db.password", SENTINEL);
        assertThat(after).isEqualTo(expected);

        List<String> linesAfter = Files.readAllLines(file);
        int passwordLine = lineOf(linesBefore, "        password: ENC[");
        int macLine = lineOf(linesBefore, "    mac: ENC[");
        assertThat(changedLines(linesBefore, linesAfter)).containsExactly(passwordLine, macLine);
        assertThat(linesAfter.get(passwordLine - 1)).startsWith("        password: ENC[AES256_GCM,data:")
                .endsWith(",type:str]");
        assertThat(Files.readString(file)).doesNotContain(SENTINEL);
        assertThat(written.newVersion()).isNull();
        assertThat(written.toString()).doesNotContain(SENTINEL);
    }

    @Test
    void aPropertyNamesAChildKeyOfAMapping() throws IOException {
        Path file = copy("example.yaml");
        SopsStore store = store(file);
        String user = everything(store, file).get("app2.db.user");

        write(store, "sops:app2.db#password", SENTINEL);

        try (SecretValue value = store.fetch(SecretReference.parse("sops:app2.db.password"))) {
            assertThat(value.asString()).isEqualTo(SENTINEL);
        }
        try (SecretValue value = store.fetch(SecretReference.parse("sops:app2.db.user"))) {
            assertThat(value.asString()).isEqualTo(user);
        }
    }

    @Test
    void rewritesOneJsonValueKeepingEveryOtherByte() throws IOException {
        Path file = copy("example.json");
        SopsStore store = store(file);
        Map<String, String> before = everything(store, file);
        List<String> linesBefore = Files.readAllLines(file);

        write(store, "sops:address.city", SENTINEL);

        Map<String, String> expected = new LinkedHashMap<>(before);
        expected.put("address.city", SENTINEL);
        assertThat(everything(store, file)).isEqualTo(expected);
        assertThat(changedLines(linesBefore, Files.readAllLines(file)))
                .containsExactly(lineOf(linesBefore, "\t\t\"city\": \"ENC["), lineOf(linesBefore, "\t\t\"mac\": \"ENC["));
    }

    @Test
    void keepsTheFilePermissionsAndLeavesNoTemporaryFile() throws IOException {
        Path file = copy("example.yaml");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

        write(store(file), "sops:myapp1", SENTINEL);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("example.yaml");
        }
    }

    @Test
    void rollbackAndDisablePreviousAreRefusedPointingAtGit() throws IOException {
        Path file = copy("example.yaml");
        SopsStore store = store(file);
        byte[] original = Files.readAllBytes(file);

        assertThat(store.keepsVersions()).isFalse();
        assertThat(catchThrowableOfType(InvalidInputException.class,
                () -> store.rollback(SecretReference.parse("sops:myapp1"), "1", WriteOptions.DEFAULT)).getMessage())
                .contains("keeps no versions").contains("Git");
        try (SecretValue value = SecretValue.ofString(SENTINEL)) {
            assertThat(catchThrowableOfType(InvalidInputException.class,
                    () -> store.write(SecretReference.parse("sops:myapp1"), value, new WriteOptions(true)))
                    .getMessage()).contains("no previous one").doesNotContain(SENTINEL);
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(original);
    }

    @Test
    void aMappingOrAMissingNameIsRefusedAndTheFileUntouched() throws IOException {
        Path file = copy("example.yaml");
        SopsStore store = store(file);
        byte[] original = Files.readAllBytes(file);

        try (SecretValue value = SecretValue.ofString(SENTINEL)) {
            SecretNotFoundException e = catchThrowableOfType(SecretNotFoundException.class,
                    () -> store.write(SecretReference.parse("sops:app2.db"), value, WriteOptions.DEFAULT));
            assertThat(e.getMessage()).contains("leaf").doesNotContain(SENTINEL);
            assertThat(catchThrowableOfType(SecretNotFoundException.class,
                    () -> store.write(SecretReference.parse("sops:nope"), value, WriteOptions.DEFAULT)))
                    .isNotNull();
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(original);
    }

    @Test
    void aClearValueIsNotRotated() throws IOException {
        Path file = copy("example.yaml");
        SopsStore store = store(file);
        byte[] original = Files.readAllBytes(file);

        try (SecretValue value = SecretValue.ofString(SENTINEL)) {
            InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                    () -> store.write(SecretReference.parse("sops:somelist_unencrypted[1]"), value,
                            WriteOptions.DEFAULT));
            assertThat(e.getMessage()).contains("unencrypted").doesNotContain(SENTINEL);
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(original);
    }

    @Test
    void theRewrittenFileKeepsItsMetadataAndListing() throws IOException {
        Path file = copy("example.yaml");
        SopsStore store = store(file);
        List<String> names = store.list().stream().map(SecretMetadata::name).toList();

        write(store, "sops:an_array[2]", SENTINEL);

        assertThat(store.list().stream().map(SecretMetadata::name).toList()).isEqualTo(names);
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.UTF_8))
                .contains("lastmodified: \"2022-03-15T22:11:15Z\"");
    }

    private static int lineOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line starts with " + prefix);
    }
}
