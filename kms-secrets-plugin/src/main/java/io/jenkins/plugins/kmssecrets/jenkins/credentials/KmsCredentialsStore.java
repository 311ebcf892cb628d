package io.jenkins.plugins.kmssecrets.jenkins.credentials;

import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsStore;
import com.cloudbees.plugins.credentials.CredentialsStoreAction;
import com.cloudbees.plugins.credentials.domains.Domain;
import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.Nullable;
import hudson.model.ModelObject;
import hudson.security.AccessControlled;
import hudson.security.Permission;
import io.jenkins.plugins.kmssecrets.jenkins.config.ConfiguredStores;
import io.jenkins.plugins.kmssecrets.jenkins.config.ConnectionTests;
import io.jenkins.plugins.kmssecrets.jenkins.config.KmsSecretsConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.export.ExportedBean;
import org.kohsuke.stapler.verb.POST;
import org.springframework.security.core.Authentication;

/**
 * The read-only store shown under Manage Jenkins › Credentials: one global domain, the stores' secrets as
 * credentials (names and metadata; values are never read to draw the page). Every change is refused with a message
 * naming the store that holds the secret.
 */
public class KmsCredentialsStore extends CredentialsStore {

    private final KmsCredentialsProvider provider;
    /** Jenkins, or a folder with its own stores. */
    private final ModelObject context;
    private final Supplier<ConfiguredStores> stores;
    private final KmsCredentialsStoreAction action = new KmsCredentialsStoreAction(this);

    /** The global stores' credentials, at the Jenkins root. */
    KmsCredentialsStore(KmsCredentialsProvider provider) {
        this(provider, null, () -> KmsSecretsConfiguration.get().runtime());
    }

    /** A folder's own stores' credentials, on that folder ({@code context} null means Jenkins). */
    KmsCredentialsStore(KmsCredentialsProvider provider, ModelObject context, Supplier<ConfiguredStores> stores) {
        super(KmsCredentialsProvider.class);
        this.provider = provider;
        this.context = context;
        this.stores = stores;
    }

    @NonNull
    @Override
    public ModelObject getContext() {
        return context == null ? Jenkins.get() : context;
    }

    private AccessControlled controlled() {
        return getContext() instanceof AccessControlled controlled ? controlled : Jenkins.get();
    }

    /** The store's row under Manage Jenkins › Credentials (the default derives "Kms" from the class name). */
    @Override
    public String getDisplayName() {
        return Messages.KmsCredentialsStore_displayName();
    }

    /** Only viewing, and only for who may view credentials where the store is (the root or the folder). */
    @Override
    public boolean hasPermission2(@NonNull Authentication a, @NonNull Permission permission) {
        return CredentialsProvider.VIEW.equals(permission) && controlled().getACL().hasPermission2(a, permission);
    }

    @NonNull
    @Override
    public List<Credentials> getCredentials(@NonNull Domain domain) {
        if (!domain.isGlobal() || !controlled().hasPermission(CredentialsProvider.VIEW)) {
            return List.of();
        }
        return new ArrayList<>(provider.listForStorePage(stores.get()));
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
        return stores.get().health();
    }

    /** The outcome of the last Reload of these stores, or {@code null}. */
    public ConfiguredStores.Reload getLastReload() {
        return stores.get().lastReload();
    }

    /** The latest Test connection outcomes (the global store page only; the forms do not say which folder). */
    public List<ConnectionTests.Outcome> getConnectionTests() {
        return context == null ? ConnectionTests.latest() : List.of();
    }

    /** Whether the current user may reload: Jenkins administrators only. */
    public boolean isReloadAllowed() {
        return Jenkins.get().hasPermission(Jenkins.ADMINISTER);
    }

    /** Lists every store again ({@link ConfiguredStores#reload()}); administrators only, POST with the crumb. */
    void reload() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        stores.get().reload();
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

        /** The store, typed, for this page's view. */
        public KmsCredentialsStore getKmsStore() {
            return store;
        }

        /**
         * The Reload button: drops the cached lists and lists every store again, then shows the page with the result
         * per store.
         */
        @POST
        public HttpResponse doReload() {
            store.reload();
            return HttpResponses.redirectToDot();
        }
    }
}
