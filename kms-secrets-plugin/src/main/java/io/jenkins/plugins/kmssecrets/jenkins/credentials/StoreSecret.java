package io.jenkins.plugins.kmssecrets.jenkins.credentials;

import com.cloudbees.plugins.credentials.CredentialsScope;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.kmssecrets.store.CredentialMapping;
import io.jenkins.plugins.kmssecrets.store.CredentialScope;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import java.util.Map;

/**
 * A listed secret on its way to becoming a credential: its assigned id, store, metadata and the engine's reading of
 * its tags, with sources for the values a credential needs. Sources read nothing until asked.
 *
 * @since 0.1.0
 */
public final class StoreSecret {

    private final String id;
    /** The folder whose store this is (its full name), or {@code null} for a global store. */
    private final String folder;
    private final String storeId;
    private final SecretMetadata metadata;
    private final CredentialMapping mapping;

    StoreSecret(String id, String folder, String storeId, SecretMetadata metadata, CredentialMapping mapping) {
        this.id = id;
        this.folder = folder;
        this.storeId = storeId;
        this.metadata = metadata;
        this.mapping = mapping;
    }

    public String id() {
        return id;
    }

    public String storeId() {
        return storeId;
    }

    public String name() {
        return metadata.name();
    }

    /** Tags, labels or custom metadata, for a converter's own tags. */
    public Map<String, String> tags() {
        return metadata.tags() == null ? Map.of() : metadata.tags();
    }

    /** The engine's reading of the tags. */
    public CredentialMapping mapping() {
        return mapping;
    }

    /** The description tag, else {@code Secret <name> in store <store>}. */
    public String description() {
        return mapping.description() != null ? mapping.description()
                : Messages.StoreCredentialsListing_description(name(), storeId);
    }

    /** The scope tag as a Jenkins scope. */
    public CredentialsScope scope() {
        return mapping.scope() == CredentialScope.SYSTEM ? CredentialsScope.SYSTEM : CredentialsScope.GLOBAL;
    }

    /** The credential's value: the whole secret, or its {@code jenkins-credentials-property}. */
    public SecretSource value() {
        return SecretSource.live(folder, storeId, name(), mapping.property());
    }

    /** One JSON property of the secret's value. */
    public SecretSource property(String property) {
        return SecretSource.live(folder, storeId, name(), property);
    }

    /** The passphrase (or key store password): another secret of the store, or a property; {@code null} if none. */
    @CheckForNull
    public SecretSource passphrase() {
        if (mapping.passphraseSecret() != null) {
            return SecretSource.live(folder, storeId, mapping.passphraseSecretName(),
                    mapping.passphraseSecretProperty());
        }
        return mapping.passphraseProperty() == null ? null : property(mapping.passphraseProperty());
    }
}
