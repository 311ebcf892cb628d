package io.jenkins.plugins.kmssecrets.jenkins.credentials;

import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.CredentialsStore;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.Nullable;
import hudson.Extension;
import hudson.model.Item;
import hudson.model.ItemGroup;
import hudson.model.ModelObject;
import hudson.security.ACL;
import io.jenkins.plugins.kmssecrets.credentials.CredentialIdScheme;
import io.jenkins.plugins.kmssecrets.jenkins.config.ConfiguredStores;
import io.jenkins.plugins.kmssecrets.jenkins.config.KmsSecretsConfiguration;
import io.jenkins.plugins.kmssecrets.jenkins.config.StoreAuthentication;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import org.springframework.security.core.Authentication;

/**
 * Offers the configured stores' secrets as read-only credentials: the global stores' at the Jenkins root, visible to
 * every item like global credentials; a folder's stores' only to items inside that folder (and its sub-folders).
 * Credentials tagged SYSTEM scope are offered at the root only. Answers only {@link ACL#SYSTEM2} lookups (builds that
 * run as SYSTEM, the default; plugin code looking up credentials as SYSTEM); any other identity sees nothing. The list comes from the stores' metadata
 * caches; values are read when a credential's secret getter is called.
 */
@Extension
public final class KmsCredentialsProvider extends CredentialsProvider {

    private static final Logger LOGGER = Logger.getLogger(KmsCredentialsProvider.class.getName());

    private final KmsCredentialsStore store = new KmsCredentialsStore(this);

    @NonNull
    @Override
    // The overridden credentials API declares a raw ItemGroup, and ItemGroup<?> would not override it.
    @SuppressWarnings("rawtypes")
    public <C extends Credentials> List<C> getCredentialsInItemGroup(@NonNull Class<C> type,
            @Nullable ItemGroup itemGroup, @Nullable Authentication authentication,
            @NonNull List<DomainRequirement> domainRequirements) {
        return matching(type, authentication, storesFor(itemGroup), itemGroup == null || itemGroup == Jenkins.get());
    }

    /** An item sees GLOBAL credentials only, as with the System store: SYSTEM ones are for Jenkins itself. */
    @NonNull
    @Override
    public <C extends Credentials> List<C> getCredentialsInItem(@NonNull Class<C> type, @NonNull Item item,
            @Nullable Authentication authentication, @NonNull List<DomainRequirement> domainRequirements) {
        return matching(type, authentication, storesFor(groupOf(item)), false);
    }

    /** Looks in the one store the id names first, then (explicit ids, id prefixes) in every store. */
    @CheckForNull
    @Override
    public <C extends IdCredentials> C getCredentialByIdInItemGroup(@NonNull String id, @NonNull Class<C> type,
            @NonNull ItemGroup<?> itemGroup, @NonNull Authentication authentication,
            @NonNull List<DomainRequirement> domainRequirements) {
        return byId(id, type, authentication, storesFor(itemGroup), itemGroup == Jenkins.get());
    }

    @CheckForNull
    @Override
    public <C extends IdCredentials> C getCredentialByIdInItem(@NonNull String id, @NonNull Class<C> type,
            @NonNull Item item, @NonNull Authentication authentication,
            @NonNull List<DomainRequirement> domainRequirements) {
        return byId(id, type, authentication, storesFor(groupOf(item)), false);
    }

    private static <C extends Credentials> List<C> matching(Class<C> type, Authentication authentication,
            ConfiguredStores stores, boolean withSystemScope) {
        if (!answers(authentication)) {
            return Collections.emptyList();
        }
        List<C> matching = new ArrayList<>();
        for (KmsCredentials credential : listAll(stores)) {
            if (type.isInstance(credential) && (withSystemScope || credential.getScope() != CredentialsScope.SYSTEM)) {
                matching.add(type.cast(credential));
            }
        }
        return matching;
    }

    private static <C extends IdCredentials> C byId(String id, Class<C> type, Authentication authentication,
            ConfiguredStores stores, boolean withSystemScope) {
        if (!answers(authentication)) {
            return null;
        }
        try {
            Optional<String> storeId = CredentialIdScheme.storeIdOf(id, stores.ids());
            KmsCredentials found = null;
            if (storeId.isPresent()) {
                found = withId(StoreCredentialsListing.ofStore(stores, storeId.get()), id);
            }
            if (found == null) {
                found = withId(StoreCredentialsListing.all(stores), id);
            }
            if (found == null || !type.isInstance(found)
                    || !withSystemScope && found.getScope() == CredentialsScope.SYSTEM) {
                return null;
            }
            return type.cast(found);
        } catch (RuntimeException e) {
            // Never break other providers' lookups; the engine's messages carry no values, but log the type only.
            LOGGER.log(Level.WARNING, "kms-secrets: credential lookup failed ({0})", e.getClass().getName());
            return null;
        }
    }

    private static KmsCredentials withId(List<KmsCredentials> credentials, String id) {
        for (KmsCredentials credential : credentials) {
            if (credential.getId().equals(id)) {
                return credential;
            }
        }
        return null;
    }

    @CheckForNull
    @Override
    public CredentialsStore getStore(@CheckForNull ModelObject object) {
        if (object == Jenkins.get()) {
            return store;
        }
        // A folder with its own stores: a view of those alone (what the folder adds for its jobs).
        try {
            ConfiguredStores own = KmsSecretsConfiguration.folderRuntime(object);
            return own == null ? null : new KmsCredentialsStore(this, object, () -> {
                ConfiguredStores current = KmsSecretsConfiguration.folderRuntime(object);
                return current == null ? own : current;
            });
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "kms-secrets: folder store lookup failed ({0})", e.getClass().getName());
            return null;
        }
    }

    @NonNull
    @Override
    public String getDisplayName() {
        return Messages.KmsCredentialsProvider_displayName();
    }

    /** Credentials for the store page (which checks VIEW itself); never while store credentials are being read. */
    List<KmsCredentials> listForStorePage(ConfiguredStores stores) {
        return StoreAuthentication.isResolving() ? List.of() : listAll(stores);
    }

    /** Every store's credentials; a failure here never breaks the lookups of other providers. */
    private static List<KmsCredentials> listAll(ConfiguredStores stores) {
        try {
            return StoreCredentialsListing.all(stores);
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "kms-secrets: listing credentials failed ({0})", e.getClass().getName());
            return List.of();
        }
    }

    private static boolean answers(@CheckForNull Authentication authentication) {
        return ACL.SYSTEM2.equals(authentication) && !StoreAuthentication.isResolving();
    }

    /**
     * The stores whose credentials items of {@code itemGroup} see: the global ones, and inside folders with stores
     * theirs too (a folder's store shadowing an outer or global store of the same id).
     */
    private static ConfiguredStores storesFor(@CheckForNull ItemGroup<?> itemGroup) {
        try {
            return KmsSecretsConfiguration.runtimeFor(itemGroup);
        } catch (MisconfiguredException e) {
            // A folder whose stores await an administrator: none of them is used, the global ones still are.
            LOGGER.log(Level.WARNING, "kms-secrets: {0}", e.getMessage());
            return KmsSecretsConfiguration.runtimeFor(null);
        }
    }

    /** The item group whose credentials an item sees: itself for a folder, else its parent. */
    private static ItemGroup<?> groupOf(Item item) {
        return item instanceof ItemGroup<?> group ? group : item.getParent();
    }
}
