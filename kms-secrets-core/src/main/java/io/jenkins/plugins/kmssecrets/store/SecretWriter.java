package io.jenkins.plugins.kmssecrets.store;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.cache.CachingSecretStore;

/**
 * A store that can write a new version of a secret: the capability {@code kms-secrets rotate} and the
 * {@code kmsRotate} step use. Azure Key Vault, Google Secret Manager, Vault (KV 2 and KV 1) and SOPS stores
 * implement it; {@link #of(SecretStore)} finds it behind a cache.
 *
 * <p>Contract, for every implementation:
 * <ul>
 *   <li>{@link #write} creates exactly one new version (SOPS and Vault KV 1, which keep no versions, replace the one
 *       value) and changes nothing else: with a {@code #property} reference only that property of the JSON value (or
 *       that SOPS leaf) is replaced, every other property keeps its value;</li>
 *   <li>the value is read from the {@link SecretValue} the caller passes and still owns: the caller wipes it after
 *       the call. Implementations keep no copy, and no message, exception or {@code toString} holds any part of
 *       it; errors name the store, the secret and the version only;</li>
 *   <li>the previous version is kept; with {@link WriteOptions#disablePrevious()} it is disabled after the new one
 *       is written (Azure Key Vault: {@code enabled=false}; Google: {@code DisableSecretVersion}; Vault KV 2: a soft
 *       delete of that version, which {@code vault kv undelete} reverts). Stores without versions refuse it with
 *       {@link InvalidInputException} before writing anything;</li>
 *   <li>a concurrent change is detected where the backend can tell (Vault KV 2 check-and-set, SOPS file contents):
 *       {@link WriteConflictException}, and nothing is written;</li>
 *   <li>failures are the usual {@link SecretStoreException} types; a write is not retried after an answer that
 *       may mean it was applied (a time-out, a 5xx), except where a repeat is harmless: Vault KV 2's check-and-set turns
 *       a duplicate into a {@link WriteConflictException}, and a KV 1 or SOPS write replaces the value with the same
 *       one. Such a failure is a {@link StoreUnavailableException} saying the write may have been applied.</li>
 * </ul>
 *
 * @since 0.2.0
 */
public interface SecretWriter extends SecretStore {

    /**
     * Whether older versions stay readable by version id, so that {@link #rollback} works: {@code true} for Azure
     * Key Vault, Google Secret Manager and Vault KV 2; {@code false} for Vault KV 1 and SOPS (whose history is Git).
     */
    boolean keepsVersions();

    /**
     * Writes {@code value} as the new current version of {@code reference} (which names no version), or, when the
     * reference has a {@code #property}, a new version in which only that property is replaced by {@code value} as
     * a JSON string.
     *
     * @param reference the secret, {@code store:name[#property]}; a pinned {@code @version} is refused
     * @param value     the new value; the caller keeps ownership and wipes it afterwards
     * @param options   what else to do (disable the previous version)
     * @return the versions before and after the write; never the value
     * @throws WriteConflictException when the secret changed while it was being written
     * @throws SecretStoreException   for the usual failures (not found, access denied, unavailable, invalid input)
     */
    WrittenVersion write(SecretReference reference, SecretValue value, WriteOptions options);

    /**
     * Re-writes the value of an older {@code version} as a new current version (with a {@code #property}: that
     * property's old value into the current value). The old value is read into memory, written and wiped; it is
     * never printed. Stores that keep no versions refuse with {@link InvalidInputException}.
     *
     * @param reference the secret, {@code store:name[#property]}, without a version
     * @param version   the version whose value to restore
     * @return the versions before and after; {@link WrittenVersion#rolledBackFrom()} is {@code version}
     */
    default WrittenVersion rollback(SecretReference reference, String version, WriteOptions options) {
        if (!keepsVersions()) {
            throw new InvalidInputException(id(), reference.name(), "a " + type() + " store keeps no versions, so "
                    + "there is nothing to roll back to" + ("sops".equals(type())
                    ? "; the file's history is in Git: check out the old file (git checkout <commit> -- <file>)"
                    : "; write the old value again with --value-file or --value-stdin"));
        }
        if (version == null || version.isBlank()) {
            throw new InvalidInputException(id(), reference.name(), "no version given to roll back to");
        }
        SecretReference old = new SecretReference(reference.storeId(), reference.name(), version,
                reference.property());
        try (SecretValue value = fetch(old)) {
            return write(reference, value, options).rolledBackFrom(version);
        }
    }

    /**
     * The writer behind {@code store} (through a cache), or an {@link InvalidInputException} naming the store type
     * when it cannot write.
     */
    static SecretWriter of(SecretStore store) {
        SecretStore current = store;
        while (current instanceof CachingSecretStore cache) {
            current = cache.delegate();
        }
        if (current instanceof SecretWriter writer) {
            return writer;
        }
        throw new InvalidInputException(store.id(), null, "a store of type '" + store.type()
                + "' cannot write new versions");
    }
}
