package io.jenkins.plugins.kmssecrets.jenkins.credentials;

import com.cloudbees.plugins.credentials.CredentialsSnapshotTaker;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import io.jenkins.plugins.kmssecrets.store.CredentialType;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.function.UnaryOperator;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;

/** A secret file: name from the {@code jenkins-credentials-filename} tag, content the value (binary allowed). */
public final class KmsFileCredentials extends KmsCredentials implements FileCredentials {

    private static final long serialVersionUID = 1L;

    private final String fileName;

    KmsFileCredentials(StoreSecret secret) {
        super(secret, secret.value());
        String tagged = secret.mapping().filename();
        this.fileName = tagged == null ? secret.name() : tagged;
    }

    private KmsFileCredentials(KmsFileCredentials original, UnaryOperator<SecretSource> how) {
        super(original, how.apply(original.source()));
        this.fileName = original.fileName;
    }

    @NonNull
    @Override
    public String getFileName() {
        return fileName;
    }

    @NonNull
    @Override
    public InputStream getContent() {
        return new ByteArrayInputStream(source().bytes());
    }

    @Override
    protected KmsCredentials copy(UnaryOperator<SecretSource> how) {
        return new KmsFileCredentials(this, how);
    }

    @Extension
    public static class DescriptorImpl extends KmsCredentialsDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.KmsFileCredentials_displayName();
        }
    }

    /** {@code jenkins-credentials-type=file}. */
    @Extension
    public static class Converter extends KmsCredentialsConverter.OfType {
        public Converter() {
            super(CredentialType.FILE);
        }

        @Override
        public KmsCredentials convert(@NonNull StoreSecret secret) {
            return new KmsFileCredentials(secret);
        }
    }

    /**
     * Reads the value on the controller so the copy sent to an agent holds it (sealed in a {@code Secret}, not a
     * {@code SecretBytes}, whose Remoting form is broken in credentials 1480).
     */
    @Extension
    public static class SnapshotTaker extends CredentialsSnapshotTaker<KmsFileCredentials> {
        @Override
        public Class<KmsFileCredentials> type() {
            return KmsFileCredentials.class;
        }

        @Override
        public KmsFileCredentials snapshot(KmsFileCredentials c) {
            return new KmsFileCredentials(c, SecretSource::snapshot);
        }
    }
}
