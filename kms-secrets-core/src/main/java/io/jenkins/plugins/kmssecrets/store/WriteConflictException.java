package io.jenkins.plugins.kmssecrets.store;

/**
 * A write was refused because the secret changed after it was read (Vault's check-and-set, a SOPS file edited
 * meanwhile): someone else rotated it at the same time. Nothing was written; look at the current version before
 * trying again. Not retryable as is: a blind retry would overwrite the other change.
 *
 * @since 0.2.0
 */
public class WriteConflictException extends SecretStoreException {

    private static final long serialVersionUID = 1L;

    /**
     * @param detail what changed and what to do; never a value
     */
    public WriteConflictException(String storeId, String secretName, String detail) {
        super(storeId, secretName, join(storeId, secretName, detail), null);
    }
}
