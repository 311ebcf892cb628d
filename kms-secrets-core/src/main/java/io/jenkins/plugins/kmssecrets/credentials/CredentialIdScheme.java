package io.jenkins.plugins.kmssecrets.credentials;

import io.jenkins.plugins.kmssecrets.store.CredentialMapping;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Credential ids for store secrets: {@code <storeId>.<name>} by default, {@code <prefix><name>} when the store sets an
 * id prefix, or the secret's own {@value CredentialMapping#ID_TAG} tag, used as given. Jenkins accepts ids made of {@code [A-Za-z0-9_.-]}
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
        return idFor(defaultPrefix(storeId), name, null);
    }

    /**
     * The credential id of a secret: {@code explicitId} when given (the {@value CredentialMapping#ID_TAG} tag), else
     * {@code prefix} followed by the name with characters Jenkins refuses mapped to {@code -}.
     *
     * @since 0.1.0
     */
    public static String idFor(String prefix, String name, String explicitId) {
        if (explicitId != null) {
            return explicitId;
        }
        StringBuilder sb = new StringBuilder(prefix.length() + name.length()).append(prefix);
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
        return assign(storeId, null, listing);
    }

    /**
     * The prefix of derived ids: {@code prefix} when the store sets one, else {@code <storeId>.}.
     *
     * @since 0.1.0
     */
    public static String prefix(String storeId, String prefix) {
        return prefix == null || prefix.isEmpty() ? defaultPrefix(storeId) : prefix;
    }

    /**
     * Assigns ids to one store's listing: explicit ids from the {@value CredentialMapping#ID_TAG} tag, the others
     * {@code <prefix><name>} ({@link #prefix(String, String)}).
     *
     * @param storeId the store
     * @param prefix  the store's id prefix, or {@code null} for {@code <storeId>.}
     * @param listing its secrets, in listing order
     * @return ids to secrets in listing order, and the names that lost a collision
     * @since 0.1.0
     */
    public static Assignment assign(String storeId, String prefix, List<SecretMetadata> listing) {
        String effective = prefix(storeId, prefix);
        Map<String, SecretMetadata> byId = new LinkedHashMap<>();
        List<String> collisions = new ArrayList<>();
        for (SecretMetadata secret : listing) {
            String explicit = CredentialMapping.fromTags(secret.tags()).id();
            explicit = isValidId(explicit) ? explicit : null;
            String id = idFor(effective, secret.name(), explicit);
            SecretMetadata first = byId.putIfAbsent(id, secret);
            if (first != null && !first.name().equals(secret.name())) {
                collisions.add("secrets '" + first.name() + "' and '" + secret.name() + "' of store '" + storeId
                        + "' both map to credential id '" + id + "'; only the first is offered");
            }
        }
        return new Assignment(Collections.unmodifiableMap(byId), List.copyOf(collisions));
    }

    private static String defaultPrefix(String storeId) {
        return storeId + SEPARATOR;
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
