package io.jenkins.plugins.kmssecrets.cli;

import io.jenkins.plugins.kmssecrets.manifest.Manifest;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The environment variables that hold the stores' own credentials: the well-known ones the store types read by
 * default, and every variable a store setting names ({@code clientSecretEnv: MY_SECRET}, {@code tokenEnv: ...}).
 * {@code exec} passes the environment on to its command (which may need them, for example to run sops itself), so
 * their values are masked in the command's output like the manifest's secrets.
 */
final class CredentialVariables {

    /** Read by the store types when no setting names another variable. */
    static final Set<String> WELL_KNOWN = Set.of("SOPS_AGE_KEY", "AZURE_CLIENT_SECRET",
            "AZURE_CLIENT_CERTIFICATE_PASSWORD", "VAULT_TOKEN");

    private CredentialVariables() {
    }

    /** Names of the credential variables for the manifest's stores, sorted. */
    static Set<String> names(Manifest manifest) {
        Set<String> names = new TreeSet<>(WELL_KNOWN);
        for (StoreDefinition store : manifest.stores()) {
            store.settings().forEach((key, value) -> {
                if (key.endsWith("Env") && value instanceof String name && !name.isBlank()) {
                    names.add(name.trim());
                }
            });
        }
        return names;
    }

    /** The values of those variables that are set, by {@code $NAME}, to be masked. */
    static Map<String, SecretValue> values(Manifest manifest, Map<String, String> environment) {
        Map<String, SecretValue> values = new TreeMap<>();
        for (String name : names(manifest)) {
            String value = environment.get(name);
            if (value != null && !value.isEmpty()) {
                values.put("$" + name, SecretValue.ofString(value));
            }
        }
        return values;
    }
}
