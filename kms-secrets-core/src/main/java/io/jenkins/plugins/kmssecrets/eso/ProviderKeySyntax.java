package io.jenkins.plugins.kmssecrets.eso;

import java.util.Locale;
import io.jenkins.plugins.kmssecrets.store.gcp.GoogleSecretManagerStore;
import io.jenkins.plugins.kmssecrets.store.vault.VaultStore;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What a {@code remoteRef.key} must look like for each vault ESO reads from.
 *
 * @since 0.1.0
 */
public enum ProviderKeySyntax {

    /** Azure Key Vault: 1 to 127 of {@code [0-9a-zA-Z-]}, optionally prefixed {@code secret/}, {@code cert/} or
     * {@code key/}. */
    AZURE_KEY_VAULT("Azure Key Vault", Pattern.compile("(secret/|cert/|key/)?[0-9a-zA-Z-]{1,127}").asMatchPredicate(),
            "1 to 127 letters, digits and '-', optionally prefixed secret/, cert/ or key/"),
    /** Google Secret Manager: secret ids of 1 to 255 of {@code [a-zA-Z0-9_-]}. */
    GOOGLE_SECRET_MANAGER("Google Secret Manager", GoogleSecretManagerStore::isValidSecretId,
            "1 to 255 letters, digits, '_' and '-'"),
    /** HashiCorp Vault: a path of non-empty segments without {@code .} or {@code ..} and without whitespace. */
    HASHICORP_VAULT("HashiCorp Vault", VaultStore::isValidPath,
            "a path such as secret/data/app or app/db: non-empty segments, no '.' or '..', no whitespace");

    private final String displayName;
    private final Predicate<String> valid;
    private final String rule;

    ProviderKeySyntax(String displayName, Predicate<String> valid, String rule) {
        this.displayName = displayName;
        this.valid = valid;
        this.rule = rule;
    }

    /** The provider's name for messages. */
    public String displayName() {
        return displayName;
    }

    /** Why {@code key} is not a valid key for this provider, or {@code null} when it is. */
    public String problem(String key) {
        if (key != null && valid.test(key)) {
            return null;
        }
        return "'" + key + "' is not a valid " + displayName + " key; expected " + rule;
    }

    /** The syntax for an ESO provider key of a SecretStore spec ({@code azurekv}, {@code gcpsm}, {@code vault}). */
    public static ProviderKeySyntax forEsoProvider(String providerKey) {
        if (providerKey == null) {
            return null;
        }
        return switch (providerKey) {
            case "azurekv" -> AZURE_KEY_VAULT;
            case "gcpsm" -> GOOGLE_SECRET_MANAGER;
            case "vault" -> HASHICORP_VAULT;
            default -> null;
        };
    }

    /** The syntax for a kms-secrets store type such as {@code azure-key-vault}, or {@code null} when unknown. */
    public static ProviderKeySyntax forStoreType(String storeType) {
        if (storeType == null) {
            return null;
        }
        String type = storeType.toLowerCase(Locale.ROOT);
        if (type.equals("azure-key-vault") || type.equals("akv") || type.equals("azurekv")) {
            return AZURE_KEY_VAULT;
        }
        if (type.equals("google-secret-manager") || type.equals("gsm") || type.equals("gcpsm")
                || type.equals("gcp-secret-manager")) {
            return GOOGLE_SECRET_MANAGER;
        }
        if (type.equals("vault") || type.equals("hashicorp-vault")) {
            return HASHICORP_VAULT;
        }
        return null;
    }
}
