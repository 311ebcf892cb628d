package io.jenkins.plugins.kmssecrets.jenkins.credentials;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsSnapshotTaker;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.util.Secret;
import io.jenkins.plugins.kmssecrets.store.CredentialType;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * An SSH private key (the value, OpenSSH or PEM text) with the username from the {@code jenkins-credentials-username}
 * tag and, for a protected key, the passphrase from another secret of the store
 * ({@code jenkins-credentials-passphrase-secret}) or a property of the same JSON value
 * ({@code jenkins-credentials-passphrase-property}).
 */
public final class KmsSshUserPrivateKey extends KmsCredentials implements SSHUserPrivateKey {

    private static final long serialVersionUID = 1L;

    private final String username;
    private final SecretSource passphrase;

    KmsSshUserPrivateKey(StoreSecret secret) {
        super(secret, secret.value());
        this.username = secret.mapping().username() == null ? "" : secret.mapping().username();
        this.passphrase = secret.passphrase();
    }

    private KmsSshUserPrivateKey(KmsSshUserPrivateKey original, UnaryOperator<SecretSource> how) {
        super(original, how.apply(original.source()));
        this.username = original.username;
        this.passphrase = original.passphrase == null ? null : how.apply(original.passphrase);
    }

    @NonNull
    @Override
    public String getUsername() {
        return username;
    }

    /** The username is a tag, not a secret. */
    @Override
    public boolean isUsernameSecret() {
        return false;
    }

    @NonNull
    @Override
    public List<String> getPrivateKeys() {
        return List.of(source().text());
    }

    /** The passphrase, read from the store when asked; {@code null} when the key has none. */
    @CheckForNull
    @Override
    public Secret getPassphrase() {
        return passphrase == null ? null : passphrase.secret();
    }

    @Override
    protected KmsCredentials copy(UnaryOperator<SecretSource> how) {
        return new KmsSshUserPrivateKey(this, how);
    }

    @Extension
    public static class DescriptorImpl extends KmsCredentialsDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.KmsSshUserPrivateKey_displayName();
        }
    }

    /** {@code jenkins-credentials-type=sshUserPrivateKey}. */
    @Extension
    public static class Converter extends KmsCredentialsConverter.OfType {
        public Converter() {
            super(CredentialType.SSH_USER_PRIVATE_KEY);
        }

        @Override
        public KmsCredentials convert(@NonNull StoreSecret secret) {
            return new KmsSshUserPrivateKey(secret);
        }
    }

    /** Reads the key and passphrase on the controller so the copy sent to an agent holds them. */
    @Extension
    public static class SnapshotTaker extends CredentialsSnapshotTaker<KmsSshUserPrivateKey> {
        @Override
        public Class<KmsSshUserPrivateKey> type() {
            return KmsSshUserPrivateKey.class;
        }

        @Override
        public KmsSshUserPrivateKey snapshot(KmsSshUserPrivateKey c) {
            return new KmsSshUserPrivateKey(c, SecretSource::snapshot);
        }
    }
}
