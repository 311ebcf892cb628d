package io.jenkins.plugins.kmssecrets.jenkins.credentials;

import com.cloudbees.plugins.credentials.CredentialsSnapshotTaker;
import com.cloudbees.plugins.credentials.common.StandardCertificateCredentials;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.util.Secret;
import io.jenkins.plugins.kmssecrets.credentials.CertificateKeyStore;
import io.jenkins.plugins.kmssecrets.store.CredentialType;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A certificate: the value is a PKCS#12 file (raw or base64, as Azure Key Vault serves the secret behind a
 * certificate), or PEM text with a private key and its certificate chain, which the engine assembles into a PKCS#12
 * key store in memory ({@link CertificateKeyStore}). The password (of the PKCS#12 file, or given to the assembled
 * one) comes from the passphrase tags, else it is empty.
 */
public final class KmsCertificateCredentials extends KmsCredentials implements StandardCertificateCredentials {

    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(KmsCertificateCredentials.class.getName());

    private final SecretSource password;

    KmsCertificateCredentials(StoreSecret secret) {
        super(secret, secret.value());
        this.password = secret.passphrase();
    }

    private KmsCertificateCredentials(KmsCertificateCredentials original, UnaryOperator<SecretSource> how) {
        super(original, how.apply(original.source()));
        this.password = original.password == null ? null : how.apply(original.password);
    }

    /** The key store; empty (and a warning naming the credential id and the reason) when the value is not one. */
    @NonNull
    @Override
    public KeyStore getKeyStore() {
        byte[] raw = source().bytes();
        char[] secret = getPassword().getPlainText().toCharArray();
        try {
            return CertificateKeyStore.load(raw, secret, getStoreId(), getSecretName());
        } catch (SecretStoreException e) {
            // The engine's messages name the secret and the shape of the problem, never the content.
            LOGGER.log(Level.WARNING, "kms-secrets credential {0}: {1}", new Object[] {getId(), e.getMessage()});
            try {
                KeyStore empty = KeyStore.getInstance("PKCS12");
                empty.load(null, null);
                return empty;
            } catch (GeneralSecurityException | IOException impossible) {
                throw new IllegalStateException("the JVM has no PKCS12 key store", impossible);
            }
        } finally {
            Arrays.fill(raw, (byte) 0);
            Arrays.fill(secret, '\0');
        }
    }

    /** The key store password: from the passphrase tags, else empty. */
    @NonNull
    @Override
    public Secret getPassword() {
        return password == null ? Secret.fromString("") : password.secret();
    }

    @Override
    protected KmsCredentials copy(UnaryOperator<SecretSource> how) {
        return new KmsCertificateCredentials(this, how);
    }

    @Extension
    public static class DescriptorImpl extends KmsCredentialsDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.KmsCertificateCredentials_displayName();
        }
    }

    /** {@code jenkins-credentials-type=certificate}. */
    @Extension
    public static class Converter extends KmsCredentialsConverter.OfType {
        public Converter() {
            super(CredentialType.CERTIFICATE);
        }

        @Override
        public KmsCredentials convert(@NonNull StoreSecret secret) {
            return new KmsCertificateCredentials(secret);
        }
    }

    /** Reads the value and password on the controller so the copy sent to an agent holds them. */
    @Extension
    public static class SnapshotTaker extends CredentialsSnapshotTaker<KmsCertificateCredentials> {
        @Override
        public Class<KmsCertificateCredentials> type() {
            return KmsCertificateCredentials.class;
        }

        @Override
        public KmsCertificateCredentials snapshot(KmsCertificateCredentials c) {
            return new KmsCertificateCredentials(c, SecretSource::snapshot);
        }
    }
}
