package io.jenkins.plugins.kmssecrets.cli;

import io.jenkins.plugins.kmssecrets.testing.akv.FakeEntraAuthority;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeKeyVaultServer;
import io.jenkins.plugins.kmssecrets.testing.akv.TestCertificate;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Build step (package phase, before {@code src/build/archive.sh}; see the POM): records the classes an Azure Key Vault
 * {@code exec} loads, so that the JDK 17-24 class-data archive holds them too. Runs the shaded jar once against the
 * core's loopback fakes (a client-secret sign-in at {@link FakeEntraAuthority}, one secret from
 * {@link FakeKeyVaultServer}) with {@code -XX:DumpLoadedClassList=TARGET/kms-secrets-azure.classlist}; archive.sh
 * adds that list to the demo's. Never fails the build: without the list the archive is the demo's alone. Nothing is
 * reached but 127.0.0.1.
 *
 * <p>Arguments: {@code JAVA_HOME TARGET_DIR}.
 */
public final class ArchiveTraining {

    private static final String HOST = "kms-training.vault.azure.net";
    private static final String CLIENT_ID = "kms-training-app";
    private static final String CLIENT_SECRET = "kms-training-client-secret";

    private ArchiveTraining() {
    }

    public static void main(String[] args) {
        Path target = Path.of(args[1]);
        Path list = target.resolve("kms-secrets-azure.classlist");
        try {
            Files.deleteIfExists(list);
            if (Runtime.version().feature() >= 25) {
                return; // the AOT cache records one run, the demo's (archive.sh)
            }
            Path dir = Files.createTempDirectory(target, "archive-training");
            try {
                train(Path.of(args[0], "bin", "java"), target.resolve("kms-secrets.jar"), dir, list);
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path file : (Iterable<Path>) files::iterator) {
                        Files.deleteIfExists(file);
                    }
                }
                Files.deleteIfExists(dir);
            }
            System.out.println("archive training: " + (Files.exists(list) ? list.getFileName()
                    : "no class list (the Azure run failed)"));
        } catch (Exception | LinkageError e) {
            System.out.println("archive training: skipped (" + e + ")");
        }
    }

    private static void train(Path java, Path jar, Path dir, Path list) throws Exception {
        try (FakeKeyVaultServer vault = FakeKeyVaultServer.start();
             FakeEntraAuthority authority = FakeEntraAuthority.start()
                     .clientSecret(FakeKeyVaultServer.TENANT, CLIENT_ID, CLIENT_SECRET)) {
            vault.put("training-secret", "training-value", Instant.parse("2026-01-01T00:00:00Z"));
            Path manifest = Files.writeString(dir.resolve("kms-secrets.yaml"), AzureFakeManifest.of(HOST, vault, CLIENT_ID,
                    authority.authorityHost(), "TRAINING_SECRET", "training-secret"));
            Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost " + HOST + "\n");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("kms-training", CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(TestCertificate.get().certificatePem()
                            .getBytes(StandardCharsets.US_ASCII))));
            Path trustStore = dir.resolve("truststore.p12");
            try (OutputStream out = Files.newOutputStream(trustStore)) {
                trust.store(out, "changeit".toCharArray());
            }
            // The launcher's options: the class list must come from a JVM like the one the archive serves.
            ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(), "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC", "-XX:DumpLoadedClassList=" + list, "-Djdk.net.hosts.file=" + hosts,
                    "-Djavax.net.ssl.trustStore=" + trustStore, "-Djavax.net.ssl.trustStorePassword=changeit",
                    "-Djavax.net.ssl.trustStoreType=PKCS12", "-jar", jar.toString(), "exec", "--manifest",
                    manifest.toString(), "--", java.toString(), "-version"))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
            builder.environment().put("AZURE_CLIENT_SECRET", CLIENT_SECRET);
            Process process = builder.start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            if (!process.isAlive() && process.exitValue() == 0 && vault.valueReads() == 1) {
                return;
            }
            Files.deleteIfExists(list);
        }
    }
}
