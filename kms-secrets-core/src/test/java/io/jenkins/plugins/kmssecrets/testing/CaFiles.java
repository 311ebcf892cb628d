package io.jenkins.plugins.kmssecrets.testing;

import io.jenkins.plugins.kmssecrets.testing.akv.TestCertificate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** CA bundle files for {@code caCertFile} tests: one trusting the fakes' certificate, one trusting another CA. */
public final class CaFiles {

    private CaFiles() {
    }

    /** {@code dir/fake-ca.pem}: the certificate of {@link TestCertificate}, which every TLS fake presents. */
    public static Path trustingTheFakes(Path dir) throws IOException {
        return Files.writeString(dir.resolve("fake-ca.pem"), TestCertificate.get().certificatePem());
    }

    /** {@code dir/other-ca.pem}: a valid PEM certificate that did not issue the fakes' certificate (JDK keytool). */
    public static Path trustingAnotherCa(Path dir) throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path store = dir.resolve("other-ca.p12");
        Path pem = dir.resolve("other-ca.pem");
        run(List.of(keytool.toString(), "-genkeypair", "-alias", "other", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=Another CA", "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit"));
        run(List.of(keytool.toString(), "-exportcert", "-rfc", "-alias", "other", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-file", pem.toString()));
        return pem;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool failed: " + command);
        }
    }
}
