package io.jenkins.plugins.kmssecrets.jenkins.credentials;

import io.jenkins.plugins.kmssecrets.credentials.CredentialIdScheme;
import io.jenkins.plugins.kmssecrets.credentials.TagFilter;
import io.jenkins.plugins.kmssecrets.jenkins.config.ConfiguredStores;
import io.jenkins.plugins.kmssecrets.store.CredentialMapping;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns the stores' cached listings into credentials: filter by tags, map tags to a credential type, assign ids.
 * Reads metadata only. A store whose listing fails contributes nothing until it answers once; after that its cache
 * serves the last-known-good list, so an outage never empties it.
 */
final class StoreCredentialsListing {

    private static final Logger LOGGER = Logger.getLogger(StoreCredentialsListing.class.getName());

    private StoreCredentialsListing() {
    }

    /** Every credential of every store, in configuration and listing order. */
    static List<KmsCredentials> all(ConfiguredStores stores) {
        List<KmsCredentials> credentials = new ArrayList<>();
        for (String storeId : stores.ids()) {
            credentials.addAll(ofStore(stores, storeId));
        }
        return credentials;
    }

    /** The credentials of one store; empty (and logged by message, which never holds a value) when it fails. */
    static List<KmsCredentials> ofStore(ConfiguredStores stores, String storeId) {
        TagFilter filter = stores.tagFilter();
        if (filter == null) {
            return List.of();
        }
        List<SecretMetadata> listed;
        try {
            listed = stores.list(storeId);
        } catch (SecretStoreException e) {
            LOGGER.log(Level.FINE, "kms-secrets: {0}", e.getMessage());
            return List.of();
        }
        Instant now = Instant.now();
        List<SecretMetadata> admitted = new ArrayList<>();
        for (SecretMetadata secret : listed) {
            if (secret.enabled() && !secret.isExpired(now) && filter.matches(secret.tags())) {
                admitted.add(secret);
            }
        }
        CredentialIdScheme.Assignment assignment = CredentialIdScheme.assign(storeId,
                stores.credentialIdPrefix(storeId), admitted);
        assignment.collisions().forEach(c -> LOGGER.log(Level.FINE, "kms-secrets: {0}", c));
        List<KmsCredentials> credentials = new ArrayList<>();
        for (Map.Entry<String, SecretMetadata> entry : assignment.byId().entrySet()) {
            KmsCredentials credential = toCredential(entry.getKey(), stores.scopeOf(storeId), storeId,
                    entry.getValue());
            if (credential != null) {
                credentials.add(credential);
            }
        }
        return credentials;
    }

    /** The credential the secret's type converter makes; {@code null} (logged by name) when none can. */
    private static KmsCredentials toCredential(String id, String scope, String storeId, SecretMetadata secret) {
        CredentialMapping mapping = CredentialMapping.fromTags(secret.tags());
        KmsCredentialsConverter converter = KmsCredentialsConverter.forType(mapping.declaredType());
        String problem = converter == null ? mapping.problem() : mapping.isKnownType() ? mapping.problem() : null;
        if (converter == null || problem != null) {
            LOGGER.log(Level.FINE, "kms-secrets: store ''{0}'', secret ''{1}'' is not offered: {2}",
                    new Object[] {storeId, secret.name(), problem});
            return null;
        }
        return converter.convert(new StoreSecret(id, scope, storeId, secret, mapping));
    }
}
