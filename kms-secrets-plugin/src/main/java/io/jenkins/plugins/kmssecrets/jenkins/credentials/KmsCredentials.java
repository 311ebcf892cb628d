package io.jenkins.plugins.kmssecrets.jenkins.credentials;

import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsNameProvider;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.NameWith;
import com.cloudbees.plugins.credentials.impl.BaseStandardCredentials;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Run;
import java.util.function.UnaryOperator;

/**
 * A read-only credential backed by one store secret. It carries the store id, the secret name and a
 * {@link SecretSource}; the value is read only when a getter for it is called. Its name in lists and drop-downs is the
 * secret name and the credential type ({@link NameProvider}), never derived from the value.
 */
@NameWith(KmsCredentials.NameProvider.class)
public abstract class KmsCredentials extends BaseStandardCredentials {

    private static final long serialVersionUID = 1L;

    private final String storeId;
    private final String secretName;
    private final SecretSource source;

    protected KmsCredentials(CredentialsScope scope, String id, String description, String storeId,
            String secretName, SecretSource source) {
        super(scope == null ? CredentialsScope.GLOBAL : scope, id, description);
        this.storeId = storeId;
        this.secretName = secretName;
        this.source = source;
    }

    /** The store the secret lives in. */
    public String getStoreId() {
        return storeId;
    }

    /** The secret's name in its store. */
    public String getSecretName() {
        return secretName;
    }

    /** A credential of {@code secret} (its id, scope and description) whose value comes from {@code source}. */
    protected KmsCredentials(StoreSecret secret, SecretSource source) {
        this(secret.scope(), secret.id(), secret.description(), secret.storeId(), secret.name(), source);
    }

    /** A copy's constructor arguments: the same id, scope, description and secret, with {@code source}. */
    protected KmsCredentials(KmsCredentials original, SecretSource source) {
        this(original.getScope(), original.getId(), original.getDescription(), original.storeId,
                original.secretName, source);
    }

    /** Where the value comes from; not exported. */
    protected final SecretSource source() {
        return source;
    }

    /**
     * This credential as {@code run} uses it: the same secret, whose value reads name the build
     * ({@code <job full name>#<number>}) in the store's audit log. The credentials API calls this when a build looks a
     * credential up by id.
     */
    @NonNull
    @Override
    public Credentials forRun(@NonNull Run<?, ?> run) {
        String build = run.getExternalizableId();
        return copy(s -> s.forRun(build));
    }

    /**
     * The same credential with each of its value sources passed through {@code how} (a snapshot that holds the value,
     * or a source that reads on behalf of a build).
     */
    protected abstract KmsCredentials copy(UnaryOperator<SecretSource> how);

    /**
     * Names every KMS credential {@code <secret name> (<type>)}. Declared on the class so that it wins over the
     * interfaces' providers, some of which read the value (the certificate one opens the key store).
     */
    public static final class NameProvider extends CredentialsNameProvider<KmsCredentials> {

        @NonNull
        @Override
        public String getName(@NonNull KmsCredentials credentials) {
            return Messages.KmsCredentials_name(credentials.getSecretName(),
                    credentials.getDescriptor().getDisplayName());
        }
    }

    /** Descriptor base: these types are offered by the kms-secrets provider only, never in another store's form. */
    protected abstract static class KmsCredentialsDescriptor extends BaseStandardCredentialsDescriptor {

        protected KmsCredentialsDescriptor() {
        }

        @Override
        public boolean isApplicable(CredentialsProvider provider) {
            return provider instanceof KmsCredentialsProvider;
        }

        @NonNull
        @Override
        public abstract String getDisplayName();
    }
}
