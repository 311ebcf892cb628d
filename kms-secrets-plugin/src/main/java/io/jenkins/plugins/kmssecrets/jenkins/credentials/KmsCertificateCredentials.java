package io.jenkins.plugins.kmssecrets.jenkins.credentials;

import com.cloudbees.plugins.credentials.CredentialsSnapshotTaker;
import com.cloudbees.plugins.credentials.common.StandardCertificateCredentials;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.util.Secret;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Base64;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A certificate: the value is a PKCS#12 file without password, raw or base64 (as Azure Key Vault serves the secret
 * behind a certificate). PEM values are not converted.
 */
public final class KmsCertificateCredentials extends KmsCredentials implements StandardCertificateCredentials {

    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(KmsCertificateCredentials.class.getName());

    public KmsCertificateCredentials(String id, String description, String storeId, String secretName,
            SecretSource source) {
        super(id, description, storeId, secretName, source);
    }

    /** The key store; empty (and a warning naming the credential id) when the value is not a PKCS#12 file. */
    @NonNull
    @Override
    public KeyStore getKeyStore() {
        byte[] raw = source().bytes();
        byte[] pkcs12 = raw;
        try {
            pkcs12 = decodeIfBase64(raw);
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(new ByteArrayInputStream(pkcs12), new char[0]);
            return keyStore;
        } catch (GeneralSecurityException | IOException e) {
            // The parser's message could describe the content; log the type only.
            LOGGER.log(Level.WARNING, "kms-secrets credential {0} is not a password-less PKCS#12 file ({1})",
                    new Object[] {getId(), e.getClass().getSimpleName()});
            try {
                KeyStore empty = KeyStore.getInstance("PKCS12");
                empty.load(null, null);
                return empty;
            } catch (GeneralSecurityException | IOException impossible) {
                throw new IllegalStateException("the JVM has no PKCS12 key store", impossible);
            }
        } finally {
            Arrays.fill(raw, (byte) 0);
            Arrays.fill(pkcs12, (byte) 0);
        }
    }

    /** The PKCS#12 password: empty. */
    @NonNull
    @Override
    public Secret getPassword() {
        return Secret.fromString("");
    }

    private static byte[] decodeIfBase64(byte[] raw) {
        String text = new String(raw, StandardCharsets.US_ASCII).trim();
        if (!text.isEmpty() && text.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '+' || c == '/'
                || c == '=' || c == '\r' || c == '\n')) {
            try {
                return Base64.getMimeDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                return raw.clone();
            }
        }
        return raw.clone();
    }

    @Override
    protected KmsCredentials withSource(SecretSource source) {
        return new KmsCertificateCredentials(getId(), getDescription(), getStoreId(), getSecretName(), source);
    }

    @Extension
    public static class DescriptorImpl extends KmsCredentialsDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.KmsCertificateCredentials_displayName();
        }
    }

    /** Reads the value on the controller so the copy sent to an agent holds it. */
    @Extension
    public static class SnapshotTaker extends CredentialsSnapshotTaker<KmsCertificateCredentials> {
        @Override
        public Class<KmsCertificateCredentials> type() {
            return KmsCertificateCredentials.class;
        }

        @Override
        public KmsCertificateCredentials snapshot(KmsCertificateCredentials c) {
            return new KmsCertificateCredentials(c.getId(), c.getDescription(), c.getStoreId(), c.getSecretName(),
                    c.source().snapshot());
        }
    }
}
