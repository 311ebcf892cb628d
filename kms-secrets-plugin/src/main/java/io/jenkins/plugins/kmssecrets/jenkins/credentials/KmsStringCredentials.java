package io.jenkins.plugins.kmssecrets.jenkins.credentials;

import com.cloudbees.plugins.credentials.CredentialsSnapshotTaker;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.util.Secret;
import io.jenkins.plugins.kmssecrets.store.CredentialType;
import java.util.function.UnaryOperator;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/** Secret text: the value. */
public final class KmsStringCredentials extends KmsCredentials implements StringCredentials {

    private static final long serialVersionUID = 1L;

    KmsStringCredentials(StoreSecret secret) {
        super(secret, secret.value());
    }

    private KmsStringCredentials(KmsStringCredentials original, UnaryOperator<SecretSource> how) {
        super(original, how.apply(original.source()));
    }

    @NonNull
    @Override
    public Secret getSecret() {
        return source().secret();
    }

    @Override
    protected KmsCredentials copy(UnaryOperator<SecretSource> how) {
        return new KmsStringCredentials(this, how);
    }

    @Extension
    public static class DescriptorImpl extends KmsCredentialsDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.KmsStringCredentials_displayName();
        }
    }

    /** Secret text: untyped secrets and {@code jenkins-credentials-type=string}. */
    @Extension
    public static class Converter extends KmsCredentialsConverter.OfType {
        public Converter() {
            super(CredentialType.STRING);
        }

        @Override
        public KmsCredentials convert(@NonNull StoreSecret secret) {
            return new KmsStringCredentials(secret);
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
            return new KmsStringCredentials(c, SecretSource::snapshot);
        }
    }
}
