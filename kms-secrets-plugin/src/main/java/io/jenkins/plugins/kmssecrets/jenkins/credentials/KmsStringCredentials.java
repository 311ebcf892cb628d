package io.jenkins.plugins.kmssecrets.jenkins.credentials;

import com.cloudbees.plugins.credentials.CredentialsSnapshotTaker;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.util.Secret;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/** Secret text: the value. */
public final class KmsStringCredentials extends KmsCredentials implements StringCredentials {

    private static final long serialVersionUID = 1L;

    public KmsStringCredentials(String id, String description, String storeId, String secretName,
            SecretSource source) {
        super(id, description, storeId, secretName, source);
    }

    @NonNull
    @Override
    public Secret getSecret() {
        return source().secret();
    }

    @Override
    protected KmsCredentials withSource(SecretSource source) {
        return new KmsStringCredentials(getId(), getDescription(), getStoreId(), getSecretName(), source);
    }

    @Extension
    public static class DescriptorImpl extends KmsCredentialsDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.KmsStringCredentials_displayName();
        }
    }

    /** Reads the value on the controller so the copy sent to an agent holds it. */
    @Extension
    public static class SnapshotTaker extends CredentialsSnapshotTaker<KmsStringCredentials> {
        @Override
        public Class<KmsStringCredentials> type() {
            return KmsStringCredentials.class;
        }

        @Override
        public KmsStringCredentials snapshot(KmsStringCredentials c) {
            return new KmsStringCredentials(c.getId(), c.getDescription(), c.getStoreId(), c.getSecretName(),
                    c.source().snapshot());
        }
    }
}
