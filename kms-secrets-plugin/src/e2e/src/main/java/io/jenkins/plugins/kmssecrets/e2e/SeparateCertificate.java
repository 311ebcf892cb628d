package io.jenkins.plugins.kmssecrets.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for {@code localhost}, {@code 127.0.0.1} and the suite's Key Vault host name
 * ({@link FrontDoor#VAULT_HOST}), new for each run and kept nowhere (JDK
 * {@code keytool}, the key store deleted once loaded). Unlike the suite's shared test certificate, which the Jenkins
 * JVM trusts through its trust store, nothing trusts this one: a store reaches a server presenting it only through its
 * own {@code caCertFile}.
 */
final class SeparateCertificate {

    private static final char[] PASSWORD = "separate-keystore".toCharArray();

    private final SSLContext server;
    private final String pem;

    private SeparateCertificate(SSLContext server, String pem) {
        this.server = server;
        this.pem = pem;
    }

    static SeparateCertificate generate() throws IOException {
        Path dir = Files.createTempDirectory("kms-e2e-separate-tls");
        Path keystore = dir.resolve("server.p12");
        try {
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "separate",
                    "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=kms-e2e separate CA",
                    "-ext", "san=dns:localhost,dns:" + FrontDoor.VAULT_HOST + ",ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                    "-keystore", keystore.toString(), "-storepass", new String(PASSWORD), "-keypass",
                    new String(PASSWORD))).redirectErrorStream(true).start();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool failed: " + output);
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                keys.load(in, PASSWORD);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, PASSWORD);
            SSLContext server = SSLContext.getInstance("TLS");
            server.init(kmf.getKeyManagers(), null, null);
            Certificate certificate = keys.getCertificate("separate");
            String pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                    .encodeToString(certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n";
            return new SeparateCertificate(server, pem);
        } catch (GeneralSecurityException e) {
            throw new IOException("could not create the separate test certificate: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating the separate test certificate", e);
        } finally {
            Files.deleteIfExists(keystore);
            Files.deleteIfExists(dir);
        }
    }

    /** TLS context for a fake server presenting the certificate. */
    SSLContext serverContext() {
        return server;
    }

    /** The certificate (no key) as PEM, for a store's {@code caCertFile}. */
    String certificatePem() {
        return pem;
    }
}
