package io.jenkins.plugins.kmssecrets.jenkins.credentials;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsSnapshotTaker;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.util.Secret;
import java.util.List;

/**
 * An SSH private key (the value, PEM/OpenSSH text) with the username from the {@code jenkins-credentials-username}
 * tag. Keys with a passphrase are not supported: the passphrase would need a second secret.
 */
public final class KmsSshUserPrivateKey extends KmsCredentials implements SSHUserPrivateKey {

    private static final long serialVersionUID = 1L;

    private final String username;

    public KmsSshUserPrivateKey(String id, String description, String storeId, String secretName, String username,
            SecretSource source) {
        super(id, description, storeId, secretName, source);
        this.username = username == null ? "" : username;
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

    @CheckForNull
    @Override
    public Secret getPassphrase() {
        return null;
    }

    @Override
    protected KmsCredentials withSource(SecretSource source) {
        return new KmsSshUserPrivateKey(getId(), getDescription(), getStoreId(), getSecretName(), getUsername(), source);
    }

    @Extension
    public static class DescriptorImpl extends KmsCredentialsDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.KmsSshUserPrivateKey_displayName();
        }
    }

    /** Reads the value on the controller so the copy sent to an agent holds it. */
    @Extension
    public static class SnapshotTaker extends CredentialsSnapshotTaker<KmsSshUserPrivateKey> {
        @Override
        public Class<KmsSshUserPrivateKey> type() {
            return KmsSshUserPrivateKey.class;
        }

        @Override
        public KmsSshUserPrivateKey snapshot(KmsSshUserPrivateKey c) {
            return new KmsSshUserPrivateKey(c.getId(), c.getDescription(), c.getStoreId(), c.getSecretName(),
                    c.getUsername(), c.source().snapshot());
        }
    }
}
