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
 */
public final class TestCertificate {

    private static final char[] PASSWORD = "fake-keystore".toCharArray();
    private static TestCertificate instance;

    private final SSLContext server;
    private final SSLContext client;

    private TestCertificate(SSLContext server, SSLContext client) {
        this.server = server;
        this.client = client;
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

    private static TestCertificate generate() {
        try {
            Path dir = Files.createTempDirectory("kms-fake-tls");
            Path keystore = dir.resolve("server.p12");
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "fake",
                    "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1",
                    "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                    "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)))
                    .redirectErrorStream(true).start();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                keys.load(in, PASSWORD);
            }
            Files.delete(keystore);
            Files.delete(dir);
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
            return new TestCertificate(server, client);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not create the fake server's certificate", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the fake server's certificate", e);
        }
    }
}
