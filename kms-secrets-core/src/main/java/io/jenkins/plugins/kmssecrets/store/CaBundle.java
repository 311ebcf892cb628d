package io.jenkins.plugins.kmssecrets.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A store's {@code caCertFile}: a PEM file of one or more CA certificates that the store's HTTP clients trust instead
 * of the JVM trust store. Read once, when the store is built; a file that is missing or holds no certificate is a
 * {@link MisconfiguredException} naming the store and the file.
 *
 * @param file  the file as resolved
 * @param trust a key store holding exactly the file's certificates
 * @since 0.3.0
 */
public record CaBundle(Path file, KeyStore trust) {

    /** The setting key. */
    public static final String SETTING = "caCertFile";

    /**
     * Loads {@code file}.
     *
     * @throws MisconfiguredException when the file cannot be read or holds no X.509 certificate
     */
    public static CaBundle load(String storeId, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new MisconfiguredException(storeId, null, SETTING + " " + file + " holds no certificate");
            }
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                trust.setCertificateEntry("ca-" + i++, certificate);
            }
            return new CaBundle(file, trust);
        } catch (IOException | GeneralSecurityException e) {
            throw new MisconfiguredException(storeId, null, SETTING + " " + file + " is not a readable PEM "
                    + "certificate bundle (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** A TLS context trusting exactly the bundle's certificates. */
    public SSLContext sslContext() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, factory.getTrustManagers(), null);
            return tls;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot build a TLS context", e);
        }
    }

    /** What an untrusted certificate tells to set when a store has no bundle: this setting, or the JVM's store. */
    public static final String REMEDY_WITHOUT_BUNDLE = SETTING + ", or " + UntrustedCertificate.JVM_TRUST_STORE + ",";

    /** What {@link UntrustedCertificate#misconfigured} tells the user to set: the setting and the file it names. */
    public String remedy() {
        return SETTING + " (now " + file + ")";
    }
}
