package io.jenkins.plugins.kmssecrets.store.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.testing.SopsTestWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with the reference age implementation (Debian's {@code age} package): data keys wrapped by jagged
 * open with {@code age -d}, and data keys wrapped by {@code age -e} open in the store. Skipped when {@code age} is not
 * on the PATH; CI installs it.
 */
class AgeInteropTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void ageIsInstalled() {
        assumeTrue(runs("age", "--version") && runs("age-keygen", "--version"),
                "the age binaries are not on the PATH (apt-get install age)");
    }

    private static boolean runs(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static byte[] run(byte[] stdin, String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin);
        }
        byte[] out;
        try (InputStream stdout = process.getInputStream()) {
            out = stdout.readAllBytes();
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("exit code of %s", List.of(command)).isZero();
        return out;
    }

    /** Generates an identity with age-keygen; returns its public key. */
    private String keygen(Path keyFile) throws Exception {
        run(new byte[0], "age-keygen", "-o", keyFile.toString());
        String publicKey = new String(run(new byte[0], "age-keygen", "-y", keyFile.toString())).trim();
        assertThat(publicKey).startsWith("age1");
        return publicKey;
    }

    @Test
    void ageBinaryOpensDataKeyWrappedWithJagged() throws Exception {
        Path keyFile = dir.resolve("key.txt");
        String publicKey = keygen(keyFile);
        SopsTestWriter writer = new SopsTestWriter();
        Path enc = dir.resolve("datakey.age");
        Files.writeString(enc, writer.wrap(publicKey));
        byte[] opened = run(new byte[0], "age", "-d", "-i", keyFile.toString(), enc.toString());
        assertThat(opened).hasSize(32).isEqualTo(writer.dataKey());
    }

    @Test
    void storeOpensDataKeyWrappedByTheAgeBinary() throws Exception {
        Path keyFile = dir.resolve("key.txt");
        String publicKey = keygen(keyFile);
        byte[] dataKey = new byte[32];
        new SecureRandom().nextBytes(dataKey);
        String armored = new String(run(dataKey, "age", "-e", "-a", "-r", publicKey), "US-ASCII");
        assertThat(armored).startsWith("-----BEGIN AGE ENCRYPTED FILE-----");
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("api", Map.of("token", "interop-token"));
        tree.put("greeting", "hello");
        Path file = dir.resolve("interop.enc.yaml");
        Files.writeString(file, new SopsTestWriter().dataKey(dataKey).recipientWithEnc(publicKey, armored).yaml(tree));
        StoreContext context = new StoreContext(Map.of("SOPS_AGE_KEY_FILE", keyFile.toString()), dir,
                Clock.systemUTC());
        SopsStore store = new SopsStore("local", file, context);
        try (SecretValue value = store.fetch(SecretReference.parse("local:api.token"))) {
            assertThat(value.asString()).isEqualTo("interop-token");
        }
    }

    @Test
    void identityFileWrittenByAgeKeygenMatchesItsRecipient() throws Exception {
        Path keyFile = dir.resolve("key.txt");
        String publicKey = keygen(keyFile);
        Path file = dir.resolve("keygen.enc.json");
        Files.writeString(file, new SopsTestWriter().recipient(publicKey).json(Map.of("k", "v")));
        StoreContext context = new StoreContext(Map.of("SOPS_AGE_KEY", Files.readString(keyFile)), dir,
                Clock.systemUTC());
        try (SecretValue value = new SopsStore("local", file, context).fetch(SecretReference.parse("local:k"))) {
            assertThat(value.asString()).isEqualTo("v");
        }
    }
}
