package io.jenkins.plugins.kmssecrets.store;

/**
 * What {@link SecretStore#verifyAccess()} proved: the store answered a listing and, where the store can check more
 * without reading a value, that its credentials work for reading too.
 *
 * @param secrets how many secrets the store listed
 * @param detail  what else was verified (for example {@code the data key unwraps with the age identity}), or
 *                {@code null} when the listing is all a store can check
 * @since 0.2.0
 */
public record AccessVerification(int secrets, String detail) {

    /** One line for a "Test connection" answer: {@code 3 secrets listed; the data key unwraps ...}. */
    public String summary() {
        return secrets + " secret" + (secrets == 1 ? "" : "s") + " listed" + (detail == null ? "" : "; " + detail);
    }
}
