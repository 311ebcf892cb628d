package io.jenkins.plugins.kmssecrets.eso;

import io.jenkins.plugins.kmssecrets.problem.Problem;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretNotFoundException;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import io.jenkins.plugins.kmssecrets.store.StoreSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code validate --check-remote}: every {@code remoteRef.key} exists and is usable in the kms-secrets store it maps
 * to, asked with the value-free {@link SecretStore#describe} only. The store comes from the
 * {@code kms-secrets.io/store} annotation {@code declare} writes, or from a default store id.
 *
 * @since 0.1.0
 */
public final class RemoteKeyCheck {

    private final StoreSet stores;
    private final Set<String> declaredStoreIds;
    private final String defaultStoreId;
    private final Clock clock;

    /**
     * @param stores           the stores built from the manifest
     * @param declaredStoreIds the store ids the manifest declares
     * @param defaultStoreId   the store for ExternalSecrets without the annotation, or {@code null}
     */
    public RemoteKeyCheck(StoreSet stores, Set<String> declaredStoreIds, String defaultStoreId, Clock clock) {
        this.stores = stores;
        this.declaredStoreIds = new TreeSet<>(declaredStoreIds);
        this.defaultStoreId = defaultStoreId;
        this.clock = clock == null ? Clock.systemUTC() : clock;
    }

    /** One problem per key that is missing, disabled, expired or could not be checked. */
    public List<Problem> check(List<ExternalSecretDocument> documents) {
        List<Problem> problems = new ArrayList<>();
        for (ExternalSecretDocument document : documents) {
            String annotated = document.annotation(EsoNames.STORE_ANNOTATION);
            String storeId = annotated != null ? annotated : defaultStoreId;
            if (storeId == null) {
                problems.add(new Problem(document.location(), "cannot check remote keys of " + document.name()
                        + ": no " + EsoNames.STORE_ANNOTATION + " annotation and no default store given"));
                continue;
            }
            if (!declaredStoreIds.contains(storeId)) {
                problems.add(new Problem(document.location(), "remote keys of " + document.name() + " map to store '"
                        + storeId + "', which the manifest does not declare; declared stores: "
                        + (declaredStoreIds.isEmpty() ? "(none)" : String.join(", ", declaredStoreIds))));
                continue;
            }
            SecretStore store = stores.get(storeId);
            for (ExternalSecretDocument.RemoteKey key : document.remoteKeys()) {
                check(store, key, problems);
            }
        }
        return problems;
    }

    private void check(SecretStore store, ExternalSecretDocument.RemoteKey key, List<Problem> problems) {
        String name = key.key();
        if (ProviderKeySyntax.forStoreType(store.type()) == ProviderKeySyntax.AZURE_KEY_VAULT) {
            if (name.startsWith("cert/") || name.startsWith("key/")) {
                // Certificates and keys are not secrets; describe cannot see them, so they are left to ESO.
                return;
            }
            if (name.startsWith("secret/")) {
                name = name.substring("secret/".length());
            }
        }
        try {
            SecretMetadata metadata = store.describe(new SecretReference(store.id(), name, key.version(), null));
            String unusable = metadata.unusableReason(clock.instant());
            if (unusable != null) {
                problems.add(new Problem(key.location(), "store '" + store.id() + "', secret '" + name + "' is "
                        + unusable));
            }
        } catch (SecretNotFoundException e) {
            problems.add(new Problem(key.location(), "store '" + store.id() + "', secret '" + name + "' does not "
                    + "exist"));
        } catch (SecretStoreException e) {
            problems.add(new Problem(key.location(), e.getMessage()));
        }
    }
}
