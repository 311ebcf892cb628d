package io.jenkins.plugins.kmssecrets.store.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No plaintext value or identity reaches a message, a toString, a stack trace or the console. */
class SopsStoreNoLeakTest {

    private static final Path EXAMPLE = TestData.path("sops/getsops-sops/pr1031/example.yaml");

    @TempDir
    Path dir;

    private static List<String> forbidden() throws Exception {
        List<String> values = new ArrayList<>(SopsTamperTest.PLAINTEXTS);
        for (String line : Files.readAllLines(TestData.path("sops/getsops-sops/age/keys.txt"))) {
            if (line.startsWith("AGE-SECRET-KEY-")) {
                values.add(line);
                values.add(line.substring(20, 40));
            }
        }
        return values;
    }

    private static void assertClean(String text) throws Exception {
        for (String value : forbidden()) {
            assertThat(text).doesNotContain(value);
        }
    }

    private static String everything(Throwable thrown) {
        ByteArrayOutputStream trace = new ByteArrayOutputStream();
        thrown.printStackTrace(new PrintStream(trace, true, StandardCharsets.UTF_8));
        return thrown.getMessage() + "\n" + thrown + "\n" + trace.toString(StandardCharsets.UTF_8);
    }

    @Test
    void fetchedValuePrintsAsMaskAndStoreAsItsName() throws Exception {
        StoreContext context = new StoreContext(Map.of("SOPS_AGE_KEY_FILE",
                TestData.path("sops/getsops-sops/age/keys.txt").toString()), dir, Clock.systemUTC());
        SopsStore store = new SopsStore("local", EXAMPLE, context);
        SecretValue value = store.fetch(SecretReference.parse("local:myapp1"));
        assertThat(value.toString()).isEqualTo("****");
        assertThat(store.toString()).isEqualTo("SopsStore[local, " + EXAMPLE + "]");
        assertClean(store.toString() + value + context.toString().replace(
                TestData.path("sops/getsops-sops/age/keys.txt").toString(), ""));
    }

    @Test
    void listAndDescribeCarryNoValues() throws Exception {
        SopsStore store = new SopsStore("local", EXAMPLE,
                new StoreContext(Map.of("HOME", dir.toString()), dir, Clock.systemUTC()));
        assertClean(store.list().toString());
        assertClean(store.describe(SecretReference.parse("local:app2")).toString());
    }

    @Test
    void identityInTheEnvironmentNeverReachesAnError() throws Exception {
        String identities = Files.readString(TestData.path("sops/getsops-sops/age/keys.txt"));
        Path other = dir.resolve("other.yaml");
        Files.copy(TestData.path("sops/fluxcd-kustomize-controller/algorithms/age.yaml"), other);
        SopsStore store = new SopsStore("local", other,
                new StoreContext(Map.of("SOPS_AGE_KEY", identities), dir, Clock.systemUTC()));
        Throwable thrown = catchThrowable(() -> store.fetch(SecretReference.parse("local:stringData.key")));
        assertThat(thrown).isInstanceOf(SecretStoreException.class);
        assertClean(everything(thrown));
        assertThat(everything(thrown)).doesNotContain("AGE-SECRET-KEY");
    }

    @Test
    void tamperedFileErrorsCarryNoValueAndNoCause() throws Exception {
        String text = Files.readString(EXAMPLE);
        Path copy = dir.resolve("tampered.yaml");
        Files.writeString(copy, text.replace("remain in clear text", "remain in clear text!"));
        SopsStore store = new SopsStore("local", copy, new StoreContext(Map.of("SOPS_AGE_KEY_FILE",
                TestData.path("sops/getsops-sops/age/keys.txt").toString()), dir, Clock.systemUTC()));
        for (String name : List.of("myapp1", "app2.key", "an_array", "this")) {
            Throwable thrown = catchThrowable(() -> store.fetch(SecretReference.parse("local:" + name)));
            assertThat(thrown).isInstanceOf(SecretStoreException.class).hasNoCause();
            assertClean(everything(thrown));
        }
    }

    @Test
    void nothingIsPrintedToTheConsole() throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        try {
            System.setOut(capture);
            System.setErr(capture);
            SopsStore store = new SopsStore("local", EXAMPLE, new StoreContext(Map.of("SOPS_AGE_KEY_FILE",
                    TestData.path("sops/getsops-sops/age/keys.txt").toString()), dir, Clock.systemUTC()));
            store.fetch(SecretReference.parse("local:this")).wipe();
            store.list();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
