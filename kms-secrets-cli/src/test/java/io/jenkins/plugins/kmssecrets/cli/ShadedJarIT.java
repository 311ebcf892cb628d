package io.jenkins.plugins.kmssecrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.testing.akv.FakeEntraAuthority;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeKeyVaultServer;
import io.jenkins.plugins.kmssecrets.testing.akv.TestCertificate;
import io.jenkins.plugins.kmssecrets.testing.gsm.FakeSecretManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar users run ({@code target/kms-secrets.jar}), started as {@code java -jar} against the loopback fakes:
 * what the shade filters leave out must not be something a store loads. Runs after {@code package} (the
 * {@code shaded-jar} execution in this module's POM, which names the jar in {@code kms.shadedJar}; without it, as
 * in a {@code -Dtest=} run of the unit-test execution before the jar exists, the class is skipped). The other tests
 * run on the class path, not on this jar.
 */
@EnabledIfSystemProperty(named = "kms.shadedJar", matches = ".+")
class ShadedJarIT {

    private static final Path JAR = Path.of(System.getProperty("kms.shadedJar", "target/kms-secrets.jar"))
            .toAbsolutePath();
    private static final Path DEMO = Path.of("..", "examples", "demo").toAbsolutePath().normalize();
    private static final String AZURE_HOST = "kms-it.vault.azure.net";
    private static final String CLIENT_ID = "kms-it-app";
    private static final String CLIENT_SECRET = "kms-it-client-secret-4d2e";

    @TempDir
    Path dir;

    /** Exit code, stdout and stderr of one {@code java -jar kms-secrets.jar ARGS} in {@code workDir}. */
    private record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private Run run(Path workDir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return start(workDir, env, command);
    }

    private Run start(Path workDir, Map<String, String> env, List<String> command)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv("PATH"));
        builder.environment().put("HOME", dir.toString());
        builder.environment().putAll(env);
        builder.redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish");
        }
        return new Run(process.exitValue(), Files.readString(dir.resolve("out.txt")),
                Files.readString(dir.resolve("err.txt")));
    }

    @Test
    void shadedJarExistsAndIsTheTrimmedOne() throws IOException {
        assertThat(JAR).exists();
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(JAR.toFile())) {
            assertThat(zip.getEntry("com/sun/jna/linux-x86-64/libjnidispatch.so")).isNotNull();
            assertThat(zip.getEntry("com/sun/jna/aix-ppc64/libjnidispatch.a")).isNull();
            assertThat(zip.stream().filter(e -> e.getName().startsWith("com/google/cloud/secretmanager/v1beta")))
                    .isEmpty();
        }
    }

    @Test
    void sopsDemoExecInjectsAndMasks() throws Exception {
        Run run = run(DEMO, Map.of(), "exec", "--", "sh", "-c",
                "echo \"token=$API_TOKEN\"; echo \"len=${#API_TOKEN}\"");
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo("token=****\nlen=23\n");
        assertThat(run.all()).doesNotContain("demo-api-token-5f3a9c1e");
    }

    @Test
    void launcherRunsTheDemoFromTheBuildsClassDataArchive() throws Exception {
        Path launcher = Path.of("bin", "kms-secrets").toAbsolutePath();
        Path log = dir.resolve("class-load.txt");
        Run run = start(DEMO, Map.of("JAVA_HOME", System.getProperty("java.home"),
                "KMS_SECRETS_JAVA_OPTS", "-Xlog:class+load:file=" + log), List.of(launcher.toString(), "exec", "--",
                "sh", "-c", "echo \"len=${#API_TOKEN}\""));
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo("len=23\n");
        String loaded = Files.readString(log);
        assertThat(loaded).contains("io.jenkins.plugins.kmssecrets.cli.Main source: ");
        if (archiveIsForThisJvm()) {
            // The archive the build made for this JVM serves the run: our classes, and on JDK 17-24 (static AppCDS)
            // picocli's too, which are class-file version 49 and which a dynamic archive or AOT cache cannot hold.
            assertThat(loaded).contains("io.jenkins.plugins.kmssecrets.cli.Main source: shared objects file");
            if (Files.exists(JAR.resolveSibling("kms-secrets.jsa"))) {
                assertThat(loaded).contains("picocli.CommandLine source: shared objects file");
            }
        }
    }

    @Test
    void azureKeyVaultExecSignsInAndFetches() throws Exception {
        try (FakeKeyVaultServer vault = FakeKeyVaultServer.start();
             FakeEntraAuthority authority = FakeEntraAuthority.start()
                     .clientSecret(FakeKeyVaultServer.TENANT, CLIENT_ID, CLIENT_SECRET)) {
            vault.put("db-password", "akv-it-value-8e51", Instant.parse("2026-01-01T00:00:00Z"));
            Files.writeString(dir.resolve("kms-secrets.yaml"), AzureFakeManifest.of(AZURE_HOST, vault, CLIENT_ID,
                    authority.authorityHost(), "DB_PASSWORD", "db-password"));
            Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost " + AZURE_HOST + "\n");
            String javaOptions = "-Djdk.net.hosts.file=" + dir.resolve("hosts") + " -Djavax.net.ssl.trustStore="
                    + trustStore() + " -Djavax.net.ssl.trustStorePassword=changeit"
                    + " -Djavax.net.ssl.trustStoreType=PKCS12";
            Run run = run(dir, Map.of("JDK_JAVA_OPTIONS", javaOptions, "AZURE_CLIENT_SECRET", CLIENT_SECRET),
                    "exec", "--", "sh", "-c", "echo \"db=$DB_PASSWORD\"; echo \"len=${#DB_PASSWORD}\"");
            assertThat(run.exit()).as(run.toString()).isZero();
            assertThat(run.out()).isEqualTo("db=****\nlen=17\n");
            assertThat(run.all()).doesNotContain("akv-it-value-8e51").doesNotContain(CLIENT_SECRET);
            assertThat(authority.tokenRequests()).isEqualTo(1);
            assertThat(vault.valueReads()).isEqualTo(1);

            if (Files.exists(JAR.resolveSibling("kms-secrets.jsa")) && archiveIsForThisJvm()) {
                // JDK 17-24: the build's archive was also trained on an Azure exec (ArchiveTraining).
                Path log = dir.resolve("class-load.txt");
                Run launched = start(dir, Map.of("JDK_JAVA_OPTIONS", javaOptions, "AZURE_CLIENT_SECRET", CLIENT_SECRET,
                        "JAVA_HOME", System.getProperty("java.home"), "KMS_SECRETS_JAVA_OPTS",
                        "-Xlog:class+load:file=" + log), List.of(Path.of("bin", "kms-secrets").toAbsolutePath()
                        .toString(), "exec", "--", "sh", "-c", "echo \"len=${#DB_PASSWORD}\""));
                assertThat(launched.exit()).as(launched.toString()).isZero();
                assertThat(launched.out()).isEqualTo("len=17\n");
                assertThat(Files.readString(log))
                        .contains("com.azure.security.keyvault.secrets.SecretClient source: shared objects file")
                        .contains("com.azure.core.http.HttpPipeline source: shared objects file");
            }
        }
    }

    private static boolean archiveIsForThisJvm() throws IOException {
        Path jvm = JAR.resolveSibling("kms-secrets.jvm");
        return Files.exists(jvm) && Files.readString(jvm).startsWith(Path.of(System.getProperty("java.home"))
                .toRealPath() + " ");
    }

    @Test
    void googleSecretManagerCheckListsWithoutReadingValues() throws Exception {
        try (FakeSecretManager fake = FakeSecretManager.start("it-project")) {
            fake.requireBearer("fake-access-token");
            fake.secret("db-password", Map.of()).addVersion("db-password", "gsm-it-value-61c0");
            Files.writeString(dir.resolve("sa.json"), FakeSecretManager.serviceAccountKey(fake.tokenUri()));
            Files.writeString(dir.resolve("kms-secrets.yaml"), """
                    stores:
                      - id: gsm
                        type: google-secret-manager
                        project: it-project
                        credentialsFile: sa.json
                        endpoint: %s
                    secrets:
                      - env: DB_PASSWORD
                        ref: gsm:db-password
                    """.formatted(fake.endpoint()));
            Run check = run(dir, Map.of(), "check");
            assertThat(check.exit()).as(check.toString()).isZero();
            assertThat(check.out()).contains("DB_PASSWORD").contains("1 checked: 1 ok");
            assertThat(fake.calls(FakeSecretManager.ACCESS_SECRET_VERSION)).isZero();

            Run exec = run(dir, Map.of(), "exec", "--", "sh", "-c", "echo \"len=${#DB_PASSWORD}\"");
            assertThat(exec.exit()).as(exec.toString()).isZero();
            assertThat(exec.out()).isEqualTo("len=17\n");
            assertThat(fake.calls(FakeSecretManager.ACCESS_SECRET_VERSION)).isEqualTo(1);
            assertThat(check.all() + exec.all()).doesNotContain("gsm-it-value-61c0");
        }
    }

    private Path trustStore() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("kms-it", CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(TestCertificate.get().certificatePem().getBytes(StandardCharsets.US_ASCII))));
        Path file = dir.resolve("truststore.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            trust.store(out, "changeit".toCharArray());
        }
        return file;
    }
}
