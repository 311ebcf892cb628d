package io.jenkins.plugins.kmssecrets.jenkins.credentials;

import com.cloudbees.plugins.credentials.CredentialsSnapshotTaker;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.util.Secret;
import io.jenkins.plugins.kmssecrets.store.CredentialType;
import java.util.function.UnaryOperator;

/**
 * Username with password: the password is the value (or its {@code jenkins-credentials-property}); the username is
 * the {@code jenkins-credentials-username} tag, or a property of the same JSON value named by
 * {@code jenkins-credentials-username-property} (one secret holding both).
 */
public final class KmsUsernamePasswordCredentials extends KmsCredentials implements StandardUsernamePasswordCredentials {

    private static final long serialVersionUID = 1L;

    private final String username;
    private final SecretSource usernameSource;

    KmsUsernamePasswordCredentials(StoreSecret secret) {
        super(secret, secret.value());
        String usernameProperty = secret.mapping().usernameProperty();
        this.username = secret.mapping().username();
        this.usernameSource = username == null && usernameProperty != null ? secret.property(usernameProperty) : null;
    }

    private KmsUsernamePasswordCredentials(KmsUsernamePasswordCredentials original, UnaryOperator<SecretSource> how) {
        super(original, how.apply(original.source()));
        this.username = original.username;
        this.usernameSource = original.usernameSource == null ? null : how.apply(original.usernameSource);
    }

    /** The tag, or the JSON property (read from the store when asked). */
    @NonNull
    @Override
    public String getUsername() {
        if (username != null) {
            return username;
        }
        return usernameSource == null ? "" : usernameSource.text();
    }

    /**
     * A username from a tag is metadata (anyone who may list the store reads it) and is not masked; one read from the
     * secret's value is part of the secret and is masked.
     */
    @Override
    public boolean isUsernameSecret() {
        return usernameSource != null;
    }

    @NonNull
    @Override
    public Secret getPassword() {
        return source().secret();
    }

    @Override
    protected KmsCredentials copy(UnaryOperator<SecretSource> how) {
        return new KmsUsernamePasswordCredentials(this, how);
    }

    @Extension
    public static class DescriptorImpl extends KmsCredentialsDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.KmsUsernamePasswordCredentials_displayName();
        }
    }

    /** {@code jenkins-credentials-type=usernamePassword}. */
    @Extension
    public static class Converter extends KmsCredentialsConverter.OfType {
        public Converter() {
            super(CredentialType.USERNAME_PASSWORD);
        }

        @Override
        public KmsCredentials convert(@NonNull StoreSecret secret) {
            return new KmsUsernamePasswordCredentials(secret);
        }
    }

    /** Reads the value (and a username from the value) on the controller so the copy sent to an agent holds it. */
    @Extension
    public static class SnapshotTaker extends CredentialsSnapshotTaker<KmsUsernamePasswordCredentials> {
        @Override
        public Class<KmsUsernamePasswordCredentials> type() {
            return KmsUsernamePasswordCredentials.class;
        }

        @Override
        public KmsUsernamePasswordCredentials snapshot(KmsUsernamePasswordCredentials c) {
            return new KmsUsernamePasswordCredentials(c, SecretSource::snapshot);
        }
    }
}
