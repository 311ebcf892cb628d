package io.jenkins.plugins.kmssecrets.jenkins.credentials;

import com.cloudbees.plugins.credentials.CredentialsSnapshotTaker;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.util.Secret;

/** Username (the secret's {@code jenkins-credentials-username} tag) and password (the value). */
public final class KmsUsernamePasswordCredentials extends KmsCredentials implements StandardUsernamePasswordCredentials {

    private static final long serialVersionUID = 1L;

    private final String username;

    public KmsUsernamePasswordCredentials(String id, String description, String storeId, String secretName,
            String username, SecretSource source) {
        super(id, description, storeId, secretName, source);
        this.username = username == null ? "" : username;
    }

    @NonNull
    @Override
    public String getUsername() {
        return username;
    }

    /** The username is metadata (a tag anyone who may list the store can read), so it is not masked. */
    @Override
    public boolean isUsernameSecret() {
        return false;
    }

    @NonNull
    @Override
    public Secret getPassword() {
        return source().secret();
    }

    @Override
    protected KmsCredentials withSource(SecretSource source) {
        return new KmsUsernamePasswordCredentials(getId(), getDescription(), getStoreId(), getSecretName(), getUsername(),
                source);
    }

    @Extension
    public static class DescriptorImpl extends KmsCredentialsDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.KmsUsernamePasswordCredentials_displayName();
        }
    }

    /** Reads the value on the controller so the copy sent to an agent holds it. */
    @Extension
    public static class SnapshotTaker extends CredentialsSnapshotTaker<KmsUsernamePasswordCredentials> {
        @Override
        public Class<KmsUsernamePasswordCredentials> type() {
            return KmsUsernamePasswordCredentials.class;
        }

        @Override
        public KmsUsernamePasswordCredentials snapshot(KmsUsernamePasswordCredentials c) {
            return new KmsUsernamePasswordCredentials(c.getId(), c.getDescription(), c.getStoreId(),
                    c.getSecretName(), c.getUsername(), c.source().snapshot());
        }
    }
}
