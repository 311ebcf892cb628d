package io.jenkins.plugins.kmssecrets.e2e;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code @NAME@} placeholders of pipelines and expectations, for one store type. They carry ids, names,
 * references and SHA-256 digests, never a value:
 * <ul>
 *   <li>{@code @STORE@} the store id ({@code e2e-vault}), {@code @STORE_TYPE@} ({@code vault});</li>
 *   <li>per corpus key {@code k} ({@code PASSWORD}, {@code MULTILINE}, {@code USERPASS}, {@code FILE}, {@code SSH},
 *       {@code CERT}): {@code @NAME_k@} the secret's name, {@code @CRED_k@} its credential id, {@code @REF_k@} a
 *       {@code withKmsSecrets} reference to its value, {@code @SHA_k@} the SHA-256 (hex) of the credential's value ({@code @SHATRIM_k@}: with
 *       leading and trailing white space removed),
 *       {@code @REFSHA_k@} the SHA-256 of the reference's value, {@code @USER_k@} its username tag;</li>
 *   <li>{@code @LOAD_BINDINGS@}: a Groovy list binding each load secret ({@code E2E_L01} ...) for
 *       {@code withKmsSecrets}, {@code @LOAD_SHAS@}: a Groovy map from those variables to their values' SHA-256
 *       (store types with load secrets only);</li>
 *   <li>{@code @MANIFEST_STORE@}: the store as a one-line entry of a manifest's {@code stores} list;</li>
 *   <li>{@code @REF_ROTATE_LOCKED@}: the rotated secret through a store of the same backend that does not allow
 *       rotation ({@link #lockedStoreId}; Azure Key Vault and Vault only);</li>
 *   <li>{@code @K8S_CRED@}, {@code @K8S_CONTEXT@}, {@code @K8S_NAMESPACE@}, {@code @ESO_STORE@},
 *       {@code @ESO_PROVIDER@}, {@code @RUN@}.</li>
 * </ul>
 * An unknown placeholder is an error naming it.
 */
public final class Placeholders {

    /** The credential id of the kubeconfig (secret file) the ESO pipelines use. */
    public static final String K8S_CREDENTIAL = "kms-e2e-kubeconfig";

    private static final Pattern TOKEN = Pattern.compile("@([A-Z][A-Z0-9_]*)@");

    private final Map<String, String> values = new LinkedHashMap<>();

    private Placeholders() {
    }

    /** The store id the suite configures for a store type. */
    public static String storeId(String storeType) {
        return "e2e-" + storeType;
    }

    /**
     * A store of the suite on {@code storeType}'s backend that does not allow rotation, or null: {@code e2e-akv-cert}
     * (the same vault as {@code e2e-akv}) and {@code e2e-vault}.
     */
    public static String lockedStoreId(String storeType) {
        return switch (storeType) {
            case "akv" -> "e2e-akv-cert";
            case "vault" -> storeId("vault");
            default -> null;
        };
    }

    /** The placeholders for {@code storeType} in {@code corpus}. */
    public static Placeholders forStore(E2eCorpus corpus, String storeType) {
        Placeholders p = new Placeholders();
        String store = storeId(storeType);
        p.values.put("STORE", store);
        p.values.put("STORE_TYPE", storeType);
        p.values.put("RUN", corpus.runTag());
        p.values.put("K8S_CRED", K8S_CREDENTIAL);
        p.values.put("K8S_CONTEXT", FakeServers.K8S_CONTEXT);
        p.values.put("K8S_NAMESPACE", FakeServers.K8S_NAMESPACE);
        p.values.put("ESO_STORE", "e2e-" + storeType);
        if (!"sops".equals(storeType)) {
            p.values.put("ESO_PROVIDER", FakeServers.providerKey(storeType));
        }
        // A manifest's stores entry: validated by withKmsSecrets, its settings unused (Jenkins' own store is used).
        p.values.put("MANIFEST_STORE", switch (storeType) {
            case "sops" -> "{id: " + store + ", type: sops, file: secrets/e2e.enc.yaml}";
            case "akv" -> "{id: " + store + ", type: azure-key-vault, vaultUrl: 'https://kms-e2e.vault.azure.net/'}";
            case "gsm" -> "{id: " + store + ", type: google-secret-manager, project: " + FakeServers.GSM_PROJECT + "}";
            case "vault" -> "{id: " + store + ", type: vault, address: 'http://127.0.0.1:8200'}";
            default -> throw new IllegalArgumentException(storeType);
        });
        for (E2eSecret secret : corpus.secrets(storeType).values()) {
            String k = secret.key().toUpperCase(java.util.Locale.ROOT);
            p.values.put("NAME_" + k, secret.name());
            p.values.put("CRED_" + k, secret.explicitId() != null ? secret.explicitId()
                    : credentialId(store, secret.name()));
            p.values.put("REF_" + k, store + ":" + secret.name() + ("vault".equals(storeType) ? "#value" : ""));
            p.values.put("SHA_" + k, sha256(credentialValue(secret)));
            p.values.put("SHATRIM_" + k, sha256(credentialValue(secret).strip()));
            p.values.put("REFSHA_" + k, sha256(secret.value()));
            p.values.put("USER_" + k, secret.username() == null ? "" : secret.username());
        }
        E2eSecret rotate = corpus.secrets(storeType).get("rotate");
        if (lockedStoreId(storeType) != null && rotate != null) {
            p.values.put("REF_ROTATE_LOCKED", lockedStoreId(storeType) + ":" + rotate.name()
                    + ("vault".equals(storeType) ? "#value" : ""));
        }
        if (E2eCorpus.LOAD_STORES.contains(storeType)) {
            StringBuilder bindings = new StringBuilder("[");
            StringBuilder shas = new StringBuilder("[");
            for (int i = 1; i <= E2eCorpus.LOAD_SECRETS; i++) {
                E2eSecret secret = corpus.secrets(storeType).get(E2eCorpus.loadKey(i));
                String variable = String.format(java.util.Locale.ROOT, "E2E_L%02d", i);
                String separator = i == 1 ? "" : ", ";
                bindings.append(separator).append("[env: '").append(variable).append("', ref: '").append(store)
                        .append(':').append(secret.name()).append("vault".equals(storeType) ? "#value" : "")
                        .append("']");
                shas.append(separator).append(variable).append(": '").append(sha256(secret.value())).append('\'');
            }
            p.values.put("LOAD_BINDINGS", bindings.append(']').toString());
            p.values.put("LOAD_SHAS", shas.append(']').toString());
        }
        return p;
    }

    /**
     * What a credential of {@code secret} holds: the value. Vault keeps a data object, and the suite's Vault secrets
     * carry {@code jenkins-credentials-property=value} so that the credential holds that key's value.
     */
    public static String credentialValue(E2eSecret secret) {
        return secret.credentialValue();
    }

    /** {@code <storeId>.<name>} with characters Jenkins refuses in an id mapped to {@code -}. */
    public static String credentialId(String store, String name) {
        return store + "." + name.replaceAll("[^A-Za-z0-9_.-]", "-");
    }

    /** The value of a placeholder, or null. */
    public String get(String name) {
        return values.get(name);
    }

    /** Replaces every placeholder in {@code text}; {@code file} names the source in the error for an unknown one. */
    public String apply(String file, String text) {
        Matcher m = TOKEN.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                int line = 1 + (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count();
                throw new IllegalArgumentException(file + ":" + line + ": unknown placeholder @" + m.group(1)
                        + "@ for store type " + values.get("STORE_TYPE"));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
