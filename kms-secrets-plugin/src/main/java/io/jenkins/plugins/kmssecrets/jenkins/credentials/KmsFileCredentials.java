package io.jenkins.plugins.kmssecrets.jenkins.credentials;

import com.cloudbees.plugins.credentials.CredentialsSnapshotTaker;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;

/** A secret file: name from the {@code jenkins-credentials-filename} tag, content the value (binary allowed). */
public final class KmsFileCredentials extends KmsCredentials implements FileCredentials {

    private static final long serialVersionUID = 1L;

    private final String fileName;

    public KmsFileCredentials(String id, String description, String storeId, String secretName, String fileName,
            SecretSource source) {
        super(id, description, storeId, secretName, source);
        this.fileName = fileName == null ? secretName : fileName;
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
    protected KmsCredentials withSource(SecretSource source) {
        return new KmsFileCredentials(getId(), getDescription(), getStoreId(), getSecretName(), getFileName(), source);
    }

    @Extension
    public static class DescriptorImpl extends KmsCredentialsDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.KmsFileCredentials_displayName();
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
            return new KmsFileCredentials(c.getId(), c.getDescription(), c.getStoreId(), c.getSecretName(),
                    c.getFileName(), c.source().snapshot());
        }
    }
}
