package io.jenkins.plugins.kmssecrets.cli;

import io.jenkins.plugins.kmssecrets.manifest.Manifest;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import io.jenkins.plugins.kmssecrets.store.gcp.ApplicationDefaultCredentialsFile;
import io.jenkins.plugins.kmssecrets.store.gcp.GoogleCredentialsJson;
import io.jenkins.plugins.kmssecrets.store.vault.VaultCliToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The environment variables that hold the stores' own credentials: the well-known ones the store types read by
 * default, and every variable a store setting names ({@code clientSecretEnv: MY_SECRET}, {@code tokenEnv: ...}).
 * Their values (and the Azure federated token that {@code AZURE_FEDERATED_TOKEN_FILE} points at, and the key material
 * of a Google credentials JSON that a variable holds or {@code GOOGLE_APPLICATION_CREDENTIALS} or a store's
 * {@code credentialsFile} names) are masked in what {@code exec} and {@code mask} print, and {@code exec} does not pass the variables of the manifest's stores to its
 * command unless asked ({@code --keep-store-credentials}).
 */
final class CredentialVariables {

    /** Read by the store types when no setting names another variable, by store type. */
    static final Map<String, Set<String>> BY_TYPE = Map.of(
            "sops", Set.of("SOPS_AGE_KEY"),
            "vault", Set.of("VAULT_TOKEN"),
            // Service principal secrets, the managed-identity endpoint's secret header (App Service, Container Apps,
            // Arc: IDENTITY_HEADER; Cloud Shell and older App Service: MSI_SECRET) and the workload identity token.
            "azure-key-vault", Set.of("AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PASSWORD", "IDENTITY_HEADER",
                    "MSI_SECRET", "AZURE_FEDERATED_TOKEN_FILE"),
            // Application Default Credentials: the path of a service-account key or credential configuration.
            "google-secret-manager", Set.of("GOOGLE_APPLICATION_CREDENTIALS"));

    /** Variables that point at a Google credentials JSON file, whose key material is masked. */
    static final Set<String> GOOGLE_FILE_POINTERS = Set.of("GOOGLE_APPLICATION_CREDENTIALS");

    /** Variables that point at a file whose content is the credential. */
    static final Set<String> FILE_POINTERS = Set.of("AZURE_FEDERATED_TOKEN_FILE");

    private CredentialVariables() {
    }

    /** Every well-known credential variable, whatever the manifest's stores: masked always. */
    static Set<String> wellKnown() {
        Set<String> all = new TreeSet<>();
        BY_TYPE.values().forEach(all::addAll);
        return all;
    }

    /** Names of the credential variables of the manifest's stores (their types' and the ones settings name), sorted. */
    static Set<String> names(Manifest manifest) {
        Set<String> names = new TreeSet<>();
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
     * The values to mask, by {@code $NAME}: every set credential variable, and for a file pointer the file's content
     * (as {@code $NAME:file}) when it can be read.
     */
    static Map<String, SecretValue> values(Manifest manifest, Map<String, String> environment) {
        Set<String> all = new TreeSet<>(wellKnown());
        all.addAll(names(manifest));
        Map<String, SecretValue> values = new TreeMap<>();
        for (String name : all) {
            String value = environment.get(name);
            if (value == null || value.isEmpty()) {
                continue;
            }
            if (GOOGLE_FILE_POINTERS.contains(name)) {
                // resolved as Google's library does: against the process' working directory
                addAll(values, "$" + name + ":file", GoogleCredentialsJson.secretPartsOfFile(Path.of(value)));
                continue; // the path itself is not secret
            }
            if (FILE_POINTERS.contains(name)) {
                String content = fileContent(manifest, value);
                if (content != null) {
                    values.put("$" + name + ":file", SecretValue.ofString(content));
                }
                continue; // the path itself is not secret
            }
            values.put("$" + name, SecretValue.ofString(value));
            // a Google credentials JSON (credentialsJsonEnv): its private key is masked on its own too
            addAll(values, "$" + name, GoogleCredentialsJson.secretParts(value).stream().skip(1).toList());
        }
        for (StoreDefinition store : manifest.stores()) {
            if ("google-secret-manager".equals(store.type())
                    && store.settings().get("credentialsFile") instanceof String file && !file.isBlank()) {
                addAll(values, "$credentialsFile of store '" + store.id() + "'",
                        GoogleCredentialsJson.secretPartsOfFile(manifest.baseDirectory().resolve(file).normalize()));
            }
            localSignIn(store, manifest, environment, values);
        }
        return values;
    }

    /**
     * The credentials a store takes from what a CLI left on the machine: the gcloud ADC file (its refresh token,
     * client secret or private key) for a Google store without explicit credentials, and {@code ~/.vault-token} for a
     * Vault store that follows the vault CLI's token contract. A token helper's output is not known here (running the
     * helper just to mask would be a side effect); the store never prints it.
     */
    private static void localSignIn(StoreDefinition store, Manifest manifest, Map<String, String> environment,
            Map<String, SecretValue> values) {
        if ("google-secret-manager".equals(store.type()) && store.string("credentialsFile") == null
                && store.string("credentialsJsonEnv") == null) {
            ApplicationDefaultCredentialsFile.Location adc =
                    ApplicationDefaultCredentialsFile.locate(environment, manifest.baseDirectory());
            if (adc != null) {
                addAll(values, "$ADC file of store '" + store.id() + "'",
                        GoogleCredentialsJson.secretPartsOfFile(adc.path()));
            }
        }
        if ("vault".equals(store.type()) && "token".equals(store.string("auth", "token").trim())
                && store.string("tokenEnv") == null && store.string("tokenFile") == null) {
            try {
                VaultCliToken.Origin origin = VaultCliToken.locate(environment);
                if (origin.kind() == VaultCliToken.Kind.FILE && origin.path() != null) {
                    String content = fileContent(manifest, origin.path().toString());
                    if (content != null) {
                        values.put("$vault CLI token file of store '" + store.id() + "'",
                                SecretValue.ofString(content));
                    }
                }
            } catch (RuntimeException e) {
                // a misconfigured token_helper: the store reports it when it needs the token
            }
        }
    }

    private static void addAll(Map<String, SecretValue> values, String label, List<SecretValue> parts) {
        for (int i = 0; i < parts.size(); i++) {
            values.put(label + " #" + (i + 1), parts.get(i));
        }
    }

    private static String fileContent(Manifest manifest, String path) {
        try {
            Path file = manifest.baseDirectory().resolve(path);
            if (!Files.isRegularFile(file) || Files.size(file) > 64 * 1024) {
                return null;
            }
            String content = Files.readString(file, StandardCharsets.UTF_8).strip();
            return content.isEmpty() ? null : content;
        } catch (IOException | RuntimeException e) {
            return null; // unreadable here; the store reports it if it needs the file
        }
    }
}
