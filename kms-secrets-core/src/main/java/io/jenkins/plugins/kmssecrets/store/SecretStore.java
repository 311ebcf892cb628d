package io.jenkins.plugins.kmssecrets.store;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import java.util.List;

/**
 * A named secret backend. Implementations are immutable once built and safe for concurrent use.
 *
 * <p>Metadata and values are different calls: {@link #list()}, {@link #describe(SecretReference)} and
 * {@link #versions(String)} never read a value, so an identity that may only list secrets can run every check.
 * Each implementation documents, per method, the remote calls it makes and the permission they need.
 *
 * <p>Errors are thrown as subclasses of {@link SecretStoreException}; messages name the store and the secret, never
 * a value or a raw response body.
 *
 * @since 0.1.0
 */
public interface SecretStore extends AutoCloseable {

    /** The store id used in references ({@code <storeId>:<name>}). */
    String id();

    /** The store type as written in the manifest, for example {@code sops} or {@code azure-key-vault}. */
    String type();

    /**
     * The requests this store has sent to its backend so far, by kind (for example {@code vault: 10, token: 1}), in a
     * stable order, for reports such as {@code exec --verbose}. Counts only, never contents. The default, for stores
     * that do not count, is empty.
     *
     * @since 0.2.0
     */
    default java.util.Map<String, Long> requestCounts() {
        return java.util.Map.of();
    }

    /** Metadata of every secret in the store; never values. Follows paging to the end. */
    List<SecretMetadata> list();

    /** Metadata of the referenced secret (and version, when the reference pins one) without reading its value. */
    SecretMetadata describe(SecretReference reference);

    /** Metadata of every version of the named secret, newest first; never values. */
    List<SecretMetadata> versions(String name);

    /**
     * The referenced value (latest or pinned version; one property of it when the reference names one). The caller
     * owns the returned value and should {@link SecretValue#wipe() wipe} it when done.
     */
    SecretValue fetch(SecretReference reference);

    /** Releases connections; the default does nothing. */
    @Override
    default void close() {
    }
}
