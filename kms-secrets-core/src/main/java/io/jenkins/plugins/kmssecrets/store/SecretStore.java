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

    /**
     * Proves the store is usable without reading a value, for a "Test connection" button or a start-up probe. Throws
     * the same {@link SecretStoreException} types as the other methods when it is not (a wrong key is
     * {@link MisconfiguredException}, a backend that is down {@link StoreUnavailableException}). Never cached.
     *
     * <p>The default lists the store ({@link #list()}), which proves the address, the credentials and the list
     * permission. Stores that can check more without a value do: a SOPS store also unwraps the file's data key with
     * its age identity, so a wrong or missing key fails here instead of at the first {@code fetch}.
     *
     * @since 0.2.0
     */
    default AccessVerification verifyAccess() {
        return new AccessVerification(list().size(), null);
    }

    /**
     * Whether this store's identity may read the referenced value, asked without reading it. A store whose backend
     * can answer (Vault {@code sys/capabilities-self}) says {@link ReadAccess#READABLE} or
     * {@link ReadAccess#NOT_READABLE}; the default, for backends with no such question (Azure Key Vault), is
     * {@link ReadAccess#NOT_VERIFIED}. It never throws for a backend that cannot be asked: it answers
     * {@link ReadAccess#NOT_VERIFIED}, because the verdict on the secret itself comes from {@link #describe}.
     *
     * @since 0.2.0
     */
    default ReadAccess readAccess(SecretReference reference) {
        return ReadAccess.NOT_VERIFIED;
    }

    /** Releases connections; the default does nothing. */
    @Override
    default void close() {
    }
}
