package io.jenkins.plugins.kmssecrets.cli;

import io.jenkins.plugins.kmssecrets.manifest.Manifest;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import io.jenkins.plugins.kmssecrets.store.gcp.GoogleCredentialsJson;
import io.jenkins.plugins.kmssecrets.store.gcp.GoogleSecretManagerStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The environment variables that hold the stores' own credentials: the well-known ones the store types read by
 * default, and every variable a store setting names ({@code clientSecretEnv: MY_SECRET}, {@code tokenEnv: ...}).
 * {@code exec} withholds them from its command unless {@code --keep-store-credentials} is given, and their values
 * (and, for a variable or setting naming a Google credentials file, the file's key material) are masked in the output
 * of {@code exec} and {@code mask} like the manifest's secrets.
 */
final class CredentialVariables {

    /** Read by the store types when no setting names another variable. */
    static final Set<String> WELL_KNOWN = Set.of("SOPS_AGE_KEY", "AZURE_CLIENT_SECRET",
            "AZURE_CLIENT_CERTIFICATE_PASSWORD", "VAULT_TOKEN");

    /** Read by one store type: store credentials when the manifest declares a store of that type. */
    static final Map<String, Set<String>> BY_TYPE = Map.of(
            GoogleSecretManagerStore.TYPE, Set.of(CredentialVariables.GOOGLE_APPLICATION_CREDENTIALS));

    /** Application Default Credentials: the path of a Google credentials JSON file. */
    static final String GOOGLE_APPLICATION_CREDENTIALS = "GOOGLE_APPLICATION_CREDENTIALS";

    private CredentialVariables() {
    }

    /** Names of the credential variables for the manifest's stores, sorted. */
    static Set<String> names(Manifest manifest) {
        Set<String> names = new TreeSet<>(WELL_KNOWN);
        for (StoreDefinition store : manifest.stores()) {
            names.addAll(BY_TYPE.getOrDefault(store.type(), Set.of()));
            store.settings().forEach((key, value) -> {
                if (key.endsWith("Env") && value instanceof String name && !name.isBlank()) {
                    names.add(name.trim());
                }
            });
        }
        return names;
    }

    /**
     * What to mask, by {@code $NAME}: the values of those variables that are set; for a Google credentials JSON
     * (in a variable such as {@code credentialsJsonEnv} names, or in the file {@code GOOGLE_APPLICATION_CREDENTIALS}
     * or a store's {@code credentialsFile} names) also its private key and other secret fields. A file path itself is
     * not masked.
     */
    static Map<String, SecretValue> values(Manifest manifest, Map<String, String> environment) {
        Map<String, SecretValue> values = new TreeMap<>();
        for (String name : names(manifest)) {
            String value = environment.get(name);
            if (value == null || value.isEmpty()) {
                continue;
            }
            if (name.equals(GOOGLE_APPLICATION_CREDENTIALS)) {
                // resolved as Google's library does: against the process' working directory
                add(values, "$" + name + " file", GoogleCredentialsJson.secretPartsOfFile(Path.of(value)));
                continue;
            }
            values.put("$" + name, SecretValue.ofString(value));
            add(values, "$" + name, GoogleCredentialsJson.secretParts(value).stream().skip(1).toList());
        }
        for (StoreDefinition store : manifest.stores()) {
            if (GoogleSecretManagerStore.TYPE.equals(store.type())
                    && store.settings().get("credentialsFile") instanceof String file && !file.isBlank()) {
                add(values, "$credentialsFile of store '" + store.id() + "'",
                        GoogleCredentialsJson.secretPartsOfFile(manifest.baseDirectory().resolve(file).normalize()));
            }
        }
        return values;
    }

    private static void add(Map<String, SecretValue> values, String label, List<SecretValue> parts) {
        for (int i = 0; i < parts.size(); i++) {
            values.put(label + " #" + (i + 1), parts.get(i));
        }
    }
}
