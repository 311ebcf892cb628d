package io.jenkins.plugins.kmssecrets.jenkins.credentials;

import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsStore;
import com.cloudbees.plugins.credentials.CredentialsStoreAction;
import com.cloudbees.plugins.credentials.domains.Domain;
import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.Nullable;
import hudson.model.ModelObject;
import hudson.security.Permission;
import io.jenkins.plugins.kmssecrets.jenkins.config.ConfiguredStores;
import io.jenkins.plugins.kmssecrets.jenkins.config.KmsSecretsConfiguration;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.export.ExportedBean;
import org.springframework.security.core.Authentication;

/**
 * The read-only store shown under Manage Jenkins › Credentials: one global domain, the stores' secrets as
 * credentials (names and metadata; values are never read to draw the page). Every change is refused with a message
 * naming the store that holds the secret.
 */
public class KmsCredentialsStore extends CredentialsStore {

    private final KmsCredentialsProvider provider;
    private final KmsCredentialsStoreAction action = new KmsCredentialsStoreAction(this);

    KmsCredentialsStore(KmsCredentialsProvider provider) {
        super(KmsCredentialsProvider.class);
        this.provider = provider;
    }

    @NonNull
    @Override
    public ModelObject getContext() {
        return Jenkins.get();
    }

    /** The store's row under Manage Jenkins › Credentials (the default derives "Kms" from the class name). */
    @Override
    public String getDisplayName() {
        return Messages.KmsCredentialsStore_displayName();
    }

    /** Only viewing, and only for who may view credentials at the root. */
    @Override
    public boolean hasPermission2(@NonNull Authentication a, @NonNull Permission permission) {
        return CredentialsProvider.VIEW.equals(permission) && Jenkins.get().getACL().hasPermission2(a, permission);
    }

    @NonNull
    @Override
    public List<Credentials> getCredentials(@NonNull Domain domain) {
        if (!domain.isGlobal() || !Jenkins.get().hasPermission(CredentialsProvider.VIEW)) {
            return List.of();
        }
        return new ArrayList<>(provider.listForStorePage());
    }

    @Override
    public boolean addCredentials(@NonNull Domain domain, @NonNull Credentials credentials) {
        throw new UnsupportedOperationException(Messages.KmsCredentialsStore_readOnly());
    }

    @Override
    public boolean removeCredentials(@NonNull Domain domain, @NonNull Credentials credentials) {
        throw new UnsupportedOperationException(refusal(credentials));
    }

    @Override
    public boolean updateCredentials(@NonNull Domain domain, @NonNull Credentials current,
            @NonNull Credentials replacement) {
        throw new UnsupportedOperationException(refusal(current));
    }

    @Nullable
    @Override
    public CredentialsStoreAction getStoreAction() {
        return action;
    }

    /** The store health lines for the store page. */
    public List<ConfiguredStores.StoreHealth> getHealth() {
        return KmsSecretsConfiguration.get().runtime().health();
    }

    private static String refusal(Credentials credentials) {
        if (credentials instanceof KmsCredentials kms) {
            return Messages.KmsCredentialsStore_readOnlySecret(kms.getSecretName(), kms.getStoreId());
        }
        return Messages.KmsCredentialsStore_readOnly();
    }

    /** The store's page under Manage Jenkins › Credentials. */
    @ExportedBean
    public static class KmsCredentialsStoreAction extends CredentialsStoreAction {

        private final KmsCredentialsStore store;

        KmsCredentialsStoreAction(KmsCredentialsStore store) {
            this.store = store;
        }

        @NonNull
        @Override
        public CredentialsStore getStore() {
            return store;
        }

        @Override
        public String getDisplayName() {
            return Messages.KmsCredentialsStore_displayName();
        }
    }
}
