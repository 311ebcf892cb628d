package io.jenkins.plugins.kmssecrets.bench;

import io.jenkins.plugins.kmssecrets.testing.akv.FakeEntraAuthority;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeKeyVaultServer;
import io.jenkins.plugins.kmssecrets.testing.akv.TestCertificate;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Wall time of {@code kms-secrets exec} fetching 10 Azure Key Vault secrets, sign-in included, in a fresh JVM per
 * run: the CLI talks HTTPS to {@link FakeKeyVaultServer} (as {@code kms-bench.vault.azure.net}, resolved to 127.0.0.1
 * with {@code -Djdk.net.hosts.file}) and signs in with a client secret at {@link FakeEntraAuthority}; the CLI trusts
 * the fakes' generated certificate ({@code -Djavax.net.ssl.trustStore}). Both options reach the CLI's JVM through
 * {@code JDK_JAVA_OPTIONS}, so any way of starting it works. Prints the median and minimum of the runs and the
 * request line of {@code --verbose}. It times, it does not test; CI does not run it.
 *
 * <pre>
 * java -cp kms-secrets-bench/target/benchmarks.jar io.jenkins.plugins.kmssecrets.bench.AzureExecStartup 20 \
 *      java -jar kms-secrets-cli/target/kms-secrets.jar
 * java -cp kms-secrets-bench/target/benchmarks.jar io.jenkins.plugins.kmssecrets.bench.AzureExecStartup 20 \
 *      kms-secrets-cli/bin/kms-secrets
 * </pre>
 */
public final class AzureExecStartup {

    static final int SECRETS = 10;
    static final String CLIENT_ID = "kms-bench-app";
    static final String CLIENT_SECRET = "kms-bench-client-secret";
    static final String HOST = "kms-bench.vault.azure.net";

    private AzureExecStartup() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: AzureExecStartup RUNS COMMAND... (the CLI, e.g. java -jar kms-secrets.jar)");
            System.exit(2);
        }
        int runs = Integer.parseInt(args[0]);
        List<String> cli = Arrays.asList(args).subList(1, args.length);
        Path dir = Files.createTempDirectory("kms-azure-bench");
        try (FakeKeyVaultServer vault = FakeKeyVaultServer.start();
             FakeEntraAuthority authority = FakeEntraAuthority.start()
                     .clientSecret(FakeKeyVaultServer.TENANT, CLIENT_ID, CLIENT_SECRET)) {
            StringBuilder manifest = new StringBuilder("""
                    stores:
                      - id: akv
                        type: azure-key-vault
                        vaultUrl: https://%s:%d/
                        auth: clientSecret
                        tenantId: %s
                        clientId: %s
                        authorityHost: %s
                    secrets:
                    """.formatted(HOST, vault.vaultUrl().getPort(), FakeKeyVaultServer.TENANT, CLIENT_ID,
                    authority.authorityHost()));
            for (int i = 0; i < SECRETS; i++) {
                vault.put("bench-secret-" + i, "bench-value-" + i + "-2f8e", Instant.now());
                manifest.append("  - env: SECRET_").append(i).append("\n    ref: akv:bench-secret-").append(i)
                        .append('\n');
            }
            Path manifestFile = Files.writeString(dir.resolve("kms-secrets.yaml"), manifest);
            Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost " + HOST + "\n");
            Path trustStore = trustStore(dir);
            String javaOptions = "-Djdk.net.hosts.file=" + dir.resolve("hosts") + " -Djavax.net.ssl.trustStore="
                    + trustStore + " -Djavax.net.ssl.trustStorePassword=changeit -Djavax.net.ssl.trustStoreType=PKCS12";

            List<String> command = new ArrayList<>(cli);
            command.addAll(List.of("exec", "--verbose", "--manifest", manifestFile.toString(), "--", "true"));
            long[] nanos = new long[runs];
            String requests = "";
            for (int run = 0; run < runs; run++) {
                ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
                Map<String, String> env = builder.environment();
                env.put("JDK_JAVA_OPTIONS", javaOptions);
                env.put("AZURE_CLIENT_SECRET", CLIENT_SECRET);
                long start = System.nanoTime();
                Process process = builder.start();
                byte[] err = process.getErrorStream().readAllBytes();
                int exit = process.waitFor();
                nanos[run] = System.nanoTime() - start;
                String stderr = new String(err, StandardCharsets.UTF_8);
                if (exit != 0) {
                    throw new IllegalStateException("run " + run + " exited " + exit + ":\n" + stderr);
                }
                requests = stderr.lines().filter(line -> line.contains("request(s)")).findFirst().orElse("");
            }
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            double median = runs % 2 == 1 ? sorted[runs / 2] : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2.0;
            System.out.printf("%s: median %.3f s, min %.3f s over %d runs; %s%n", String.join(" ", cli),
                    median / 1e9, sorted[0] / 1e9, runs, requests);
        } finally {
            for (String name : List.of("kms-secrets.yaml", "hosts", "truststore.p12")) {
                Files.deleteIfExists(dir.resolve(name));
            }
            Files.deleteIfExists(dir);
        }
    }

    private static Path trustStore(Path dir) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("kms-bench", CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(TestCertificate.get().certificatePem().getBytes(StandardCharsets.US_ASCII))));
        Path file = dir.resolve("truststore.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            trust.store(out, "changeit".toCharArray());
        }
        return file;
    }
}
