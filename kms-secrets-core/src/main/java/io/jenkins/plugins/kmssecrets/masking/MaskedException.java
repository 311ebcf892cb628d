package io.jenkins.plugins.kmssecrets.masking;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A copy of an exception chain with secret values masked, for errors that leave a block which had secrets (a
 * Jenkins step, a child process wrapper). The copy's message is the original's {@code toString()} (class name and
 * message) masked; it keeps the original's stack trace; causes and suppressed exceptions are masked copies in turn.
 *
 * @since 0.1.0
 */
public final class MaskedException extends Exception {

    private static final long serialVersionUID = 1L;

    private MaskedException(String message) {
        super(message);
    }

    /**
     * {@code t} itself when no message in its chain (causes and suppressed exceptions included) holds a masked form,
     * so that its type survives for callers that catch it; otherwise a masked copy of the whole chain.
     *
     * @since 0.1.0
     */
    public static Throwable mask(SecretMasker masker, Throwable t) {
        if (!holdsSecret(masker, t, Collections.newSetFromMap(new IdentityHashMap<>()))) {
            return t;
        }
        return copy(masker, t, new IdentityHashMap<>());
    }

    private static boolean holdsSecret(SecretMasker masker, Throwable t, Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return false;
        }
        String text = String.valueOf(t);
        if (!masker.mask(text).equals(text)) {
            return true;
        }
        for (Throwable suppressed : t.getSuppressed()) {
            if (holdsSecret(masker, suppressed, seen)) {
                return true;
            }
        }
        return holdsSecret(masker, t.getCause(), seen);
    }

    private static MaskedException copy(SecretMasker masker, Throwable original, Map<Throwable, MaskedException> done) {
        MaskedException existing = done.get(original);
        if (existing != null) {
            return existing;
        }
        MaskedException masked = new MaskedException(masker.mask(String.valueOf(original)));
        done.put(original, masked);
        masked.setStackTrace(original.getStackTrace());
        Throwable cause = original.getCause();
        if (cause != null) {
            MaskedException maskedCause = copy(masker, cause, done);
            if (maskedCause != masked) {
                masked.initCause(maskedCause);
            }
        }
        for (Throwable suppressed : original.getSuppressed()) {
            MaskedException maskedSuppressed = copy(masker, suppressed, done);
            if (maskedSuppressed != masked) {
                masked.addSuppressed(maskedSuppressed);
            }
        }
        return masked;
    }
}
