package io.jenkins.plugins.kmssecrets.testing.akv;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for {@code IP:127.0.0.1}, generated once per test JVM with the JDK's {@code keytool} (so
 * no private key is ever committed), with a server {@link SSLContext} holding it and a client context trusting only
 * it.
 *
 * <p>It also names the production host names of the cloud stores ({@link #HOST_NAMES}): the end-to-end suite
 * ({@code kms-secrets-plugin/src/e2e}) serves them from 127.0.0.1 to a Jenkins whose JVM resolves them there and
 * trusts {@link #certificatePem()}.
 */
public final class TestCertificate {

    /** DNS names in the certificate besides {@code IP:127.0.0.1}. */
    public static final List<String> HOST_NAMES = List.of("localhost", "*.vault.azure.net",
            "login.microsoftonline.com", "secretmanager.googleapis.com", "oauth2.googleapis.com");

    private static final char[] PASSWORD = "fake-keystore".toCharArray();
    private static TestCertificate instance;

    private final SSLContext server;
    private final SSLContext client;
    private final Certificate certificate;

    private TestCertificate(SSLContext server, SSLContext client, Certificate certificate) {
        this.server = server;
        this.client = client;
        this.certificate = certificate;
    }

    /** The certificate of this JVM, generated on first use. */
    public static synchronized TestCertificate get() {
        if (instance == null) {
            instance = generate();
        }
        return instance;
    }

    /** TLS context for the fake server. */
    public SSLContext serverContext() {
        return server;
    }

    /** TLS context for clients: trusts the fake server's certificate and nothing else. */
    public SSLContext clientContext() {
        return client;
    }

    /** The certificate (no key) as PEM, for a trust store or a CA file option. */
    public String certificatePem() {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("could not encode the fake server's certificate", e);
        }
    }

    /**
     * System property naming a directory where the key store is kept between runs ({@code server.p12}, created on
     * first use), so a Jenkins that trusts the certificate once keeps trusting it (the end-to-end suite). Unset (as
     * in every unit test): a new certificate per JVM, and no key left on disk.
     */
    public static final String KEEP_DIR_PROPERTY = "kms.fake.tls.dir";

    private static TestCertificate generate() {
        try {
            String keep = System.getProperty(KEEP_DIR_PROPERTY);
            Path dir = keep == null ? Files.createTempDirectory("kms-fake-tls") : Files.createDirectories(Path.of(keep));
            Path keystore = dir.resolve("server.p12");
            if (keep != null && Files.exists(keystore)) {
                return load(keystore, false);
            }
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "fake",
                    "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1,"
                    + String.join(",", HOST_NAMES.stream().map(name -> "dns:" + name).toList()),
                    "-validity", keep == null ? "2" : "365", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                    "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)))
                    .redirectErrorStream(true).start();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            return load(keystore, keep == null);
        } catch (IOException e) {
            throw new IllegalStateException("could not create the fake server's certificate", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the fake server's certificate", e);
        }
    }

    private static TestCertificate load(Path keystore, boolean delete) {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                keys.load(in, PASSWORD);
            }
            if (delete) {
                Files.delete(keystore);
                Files.delete(keystore.getParent());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, PASSWORD);
            SSLContext server = SSLContext.getInstance("TLS");
            server.init(kmf.getKeyManagers(), null, null);

            Certificate certificate = keys.getCertificate("fake");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("fake", certificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, tmf.getTrustManagers(), null);
            return new TestCertificate(server, client, certificate);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not load the fake server's certificate", e);
        }
    }
}
