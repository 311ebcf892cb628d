package io.jenkins.plugins.kmssecrets.store.azure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No test may build a credential that probes the instance metadata endpoint (169.254.169.254): the default chain
 * and managed identity are built only by the production transport. Checked on the compiled test classes, whose
 * constant pools name every class they use.
 */
class AzureTestIsolationTest {

    // Joined at run time so that this class's own constant pool does not hold the names it looks for.
    private static final List<String> FORBIDDEN = List.of(
            String.join("/", "com", "azure", "identity", "DefaultAzureCredential"),
            String.join("/", "com", "azure", "identity", "ManagedIdentityCredential"));

    @Test
    void testsNeverBuildCredentialsThatProbeTheMetadataEndpoint() throws IOException, URISyntaxException {
        Path testClasses = Path.of(AzureTestIsolationTest.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI());
        List<String> offenders = new ArrayList<>();
        int scanned = 0;
        try (Stream<Path> files = Files.walk(testClasses)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                scanned++;
                String pool = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                for (String name : FORBIDDEN) {
                    if (pool.contains(name)) {
                        offenders.add(testClasses.relativize(file) + " uses " + name);
                    }
                }
            }
        }
        assertThat(scanned).as("test classes scanned").isGreaterThan(10);
        assertThat(offenders).as("tests must use FakeKeyVaultServer.transport()").isEmpty();
    }
}
