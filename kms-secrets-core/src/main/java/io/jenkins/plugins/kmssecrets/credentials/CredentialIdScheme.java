package io.jenkins.plugins.kmssecrets.credentials;

import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Credential ids for store secrets: {@code <storeId>.<name>}. Jenkins accepts ids made of {@code [A-Za-z0-9_.-]}
 * only, so every other character of a name (a Vault path's {@code /}, a SOPS key path's {@code [0]}) becomes
 * {@code -}. Because that mapping is not one-to-one, ids are assigned over a whole listing: the first secret (in
 * listing order) to claim an id keeps it, and later ones are reported as collisions rather than silently shadowing
 * it.
 *
 * @since 0.1.0
 */
public final class CredentialIdScheme {

    /** Separates the store id from the secret name. */
    public static final char SEPARATOR = '.';

    private CredentialIdScheme() {
    }

    /**
     * The credential id of secret {@code name} in store {@code storeId}.
     *
     * @since 0.1.0
     */
    public static String idFor(String storeId, String name) {
        StringBuilder sb = new StringBuilder(storeId.length() + 1 + name.length()).append(storeId).append(SEPARATOR);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            sb.append(isIdChar(c) ? c : '-');
        }
        return sb.toString();
    }

    /**
     * Whether {@code id} uses only the characters Jenkins accepts in a credential id.
     *
     * @since 0.1.0
     */
    public static boolean isValidId(String id) {
        if (id == null || id.isEmpty()) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            if (!isIdChar(id.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The store a credential id belongs to: the longest of {@code storeIds} that, followed by {@link #SEPARATOR},
     * prefixes {@code credentialId}. Store ids may themselves contain no {@code .}, so at most one matches unless
     * ids share prefixes, where the longest wins.
     *
     * @since 0.1.0
     */
    public static Optional<String> storeIdOf(String credentialId, Collection<String> storeIds) {
        String best = null;
        for (String storeId : storeIds) {
            if (credentialId.length() > storeId.length() + 1 && credentialId.startsWith(storeId)
                    && credentialId.charAt(storeId.length()) == SEPARATOR
                    && (best == null || storeId.length() > best.length())) {
                best = storeId;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Assigns ids to one store's listing.
     *
     * @param storeId the store
     * @param listing its secrets, in listing order
     * @return ids to secrets in listing order, and the names that lost a collision
     * @since 0.1.0
     */
    public static Assignment assign(String storeId, List<SecretMetadata> listing) {
        Map<String, SecretMetadata> byId = new LinkedHashMap<>();
        List<String> collisions = new ArrayList<>();
        for (SecretMetadata secret : listing) {
            String id = idFor(storeId, secret.name());
            SecretMetadata first = byId.putIfAbsent(id, secret);
            if (first != null && !first.name().equals(secret.name())) {
                collisions.add("secrets '" + first.name() + "' and '" + secret.name() + "' of store '" + storeId
                        + "' both map to credential id '" + id + "'; only the first is offered");
            }
        }
        return new Assignment(Collections.unmodifiableMap(byId), List.copyOf(collisions));
    }

    private static boolean isIdChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.'
                || c == '-';
    }

    /**
     * The ids of one listing.
     *
     * @param byId       credential id to secret, in listing order
     * @param collisions one message per secret left out because an earlier one has its id (names only)
     * @since 0.1.0
     */
    public record Assignment(Map<String, SecretMetadata> byId, List<String> collisions) {
    }
}
