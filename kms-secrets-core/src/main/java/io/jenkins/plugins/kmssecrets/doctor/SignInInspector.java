package io.jenkins.plugins.kmssecrets.doctor;

import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import io.jenkins.plugins.kmssecrets.store.gcp.ApplicationDefaultCredentialsFile;
import io.jenkins.plugins.kmssecrets.store.sops.AgeKeyFiles;
import io.jenkins.plugins.kmssecrets.store.vault.VaultCliToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds how a store would sign in, by the same rules the store uses, without signing in and without reading a
 * credential's content: files are checked for existence (a Google credentials file also for its {@code type}),
 * variables for being set, and the Azure CLI is asked {@code az account show} (which prints the account, not a token).
 * No metadata or identity endpoint is contacted.
 */
final class SignInInspector {

    static final String KMS_SECRETS_AGE_KEY = ".config/kms-secrets/age.key";

    private final StoreContext context;
    private final AzureCliAccount azureCli;

    SignInInspector(StoreContext context, Duration timeout) {
        this.context = context;
        this.azureCli = new AzureCliAccount(context.environment(), timeout);
    }

    SignInFinding inspect(StoreDefinition store) {
        return switch (store.type()) {
            case "azure-key-vault" -> azure(store);
            case "google-secret-manager" -> google(store);
            case "vault" -> vault(store);
            case "sops" -> sops(store);
            default -> SignInFinding.found("-", "not inspected for type '" + store.type() + "'");
        };
    }

    // ---- Azure ------------------------------------------------------------------------------------------------

    private SignInFinding azure(StoreDefinition store) {
        String auth = store.string("auth", "default").trim();
        String tenant = store.string("tenantId");
        String login = "az login" + (tenant == null ? "" : " --tenant " + tenant);
        switch (auth) {
            case "azureCli" -> {
                return azureCli.inspect("azureCli", login);
            }
            case "clientSecret" -> {
                String variable = store.string("clientSecretEnv", "AZURE_CLIENT_SECRET");
                return isSet(variable) ? SignInFinding.found(auth, "client secret from " + variable)
                        : SignInFinding.missing(auth, variable + " is not set", "export " + variable + "=...");
            }
            case "clientCertificate" -> {
                String file = store.string("clientCertificatePath");
                Path path = file == null ? null : context.resolve(file);
                return path != null && Files.isReadable(path)
                        ? SignInFinding.found(auth, "certificate " + path)
                        : SignInFinding.missing(auth, "certificate " + (path == null ? "(clientCertificatePath not set)"
                                : path + " not found"), "set clientCertificatePath to a PEM or PKCS#12 file");
            }
            case "managedIdentity" -> {
                return SignInFinding.found(auth, "managed identity (works only on Azure compute)");
            }
            case "workloadIdentity" -> {
                String file = context.env("AZURE_FEDERATED_TOKEN_FILE");
                return file != null && Files.isReadable(Path.of(file))
                        ? SignInFinding.found(auth, "federated token file " + file)
                        : SignInFinding.missing(auth, "AZURE_FEDERATED_TOKEN_FILE is not set or not readable",
                                "run in a pod with Azure workload identity, or use auth: azureCli and " + login);
            }
            default -> {
                if (isSet("AZURE_CLIENT_ID") && isSet("AZURE_TENANT_ID")
                        && (isSet("AZURE_CLIENT_SECRET") || isSet("AZURE_CLIENT_CERTIFICATE_PATH"))) {
                    return SignInFinding.found(auth, "service principal from AZURE_CLIENT_ID and AZURE_TENANT_ID "
                            + "(default chain)");
                }
                if (isSet("AZURE_FEDERATED_TOKEN_FILE")) {
                    return SignInFinding.found(auth, "workload identity from AZURE_FEDERATED_TOKEN_FILE (default "
                            + "chain)");
                }
                SignInFinding cli = azureCli.inspect(auth, login);
                return cli.found()
                        ? SignInFinding.found(auth, cli.source() + " (default chain; on a laptop prefer auth: "
                                + "azureCli)")
                        : SignInFinding.missing(auth, cli.source() + "; no AZURE_* variables (managed identity not "
                                + "probed)", cli.fix());
            }
        }
    }

    // ---- Google -----------------------------------------------------------------------------------------------

    private SignInFinding google(StoreDefinition store) {
        String file = store.string("credentialsFile");
        String variable = store.string("credentialsJsonEnv");
        if (file != null) {
            Path path = context.resolve(file);
            String type = ApplicationDefaultCredentialsFile.type(path);
            return type != null ? SignInFinding.found("credentialsFile", "credentials file " + path + " (" + type
                    + ")") : SignInFinding.missing("credentialsFile", "credentials file " + path
                    + (Files.exists(path) ? " is not a Google credentials JSON" : " not found"),
                    "gcloud iam workload-identity-pools create-cred-config ... --output-file " + file);
        }
        if (variable != null) {
            return isSet(variable) ? SignInFinding.found("credentialsJsonEnv", "credentials JSON in " + variable)
                    : SignInFinding.missing("credentialsJsonEnv", variable + " is not set", "export " + variable
                    + "=\"$(cat key.json)\"");
        }
        String auth = store.string("auth", "default").trim();
        ApplicationDefaultCredentialsFile.Location location =
                ApplicationDefaultCredentialsFile.locate(context.environment(), context.baseDirectory());
        String fix = ApplicationDefaultCredentialsFile.LOGIN_COMMAND;
        if (location == null) {
            return SignInFinding.missing(auth, "no Application Default Credentials file (HOME is not set)", fix);
        }
        Path path = location.path();
        if (!Files.isRegularFile(path)) {
            return SignInFinding.missing(auth, "no ADC file at " + path + " (from " + location.source() + ")"
                    + ("adc".equals(auth) ? "" : "; the default chain would ask the metadata server (not probed)"),
                    fix);
        }
        String type = ApplicationDefaultCredentialsFile.type(path);
        if (type == null || "unknown".equals(type)) {
            return SignInFinding.missing(auth, "ADC file " + path + " (from " + location.source() + ") is not a "
                    + "Google credentials JSON", fix);
        }
        return SignInFinding.found(auth, "ADC file " + path + " (" + type + ", from " + location.source() + ")");
    }

    // ---- Vault ------------------------------------------------------------------------------------------------

    private SignInFinding vault(StoreDefinition store) {
        String auth = store.string("auth", "token").trim();
        String address = store.string("address", context.env("VAULT_ADDR"));
        if (address == null || address.isBlank()) {
            return SignInFinding.missing(auth, "no address (setting 'address' or VAULT_ADDR)",
                    "export VAULT_ADDR=https://vault.example.com:8200");
        }
        switch (auth) {
            case "token" -> {
                String file = store.string("tokenFile");
                String variable = store.string("tokenEnv");
                if (file != null) {
                    Path path = context.resolve(file);
                    return Files.isReadable(path) ? SignInFinding.found(auth, "token file " + path)
                            : SignInFinding.missing(auth, "token file " + path + " not found", "vault login");
                }
                if (variable != null) {
                    return isSet(variable) ? SignInFinding.found(auth, "token from " + variable)
                            : SignInFinding.missing(auth, variable + " is not set", "export " + variable
                            + "=\"$(vault print token)\"");
                }
                return vaultCli(auth);
            }
            case "approle" -> {
                List<String> missing = new ArrayList<>();
                sourceMissing(store, "roleId", true, missing);
                sourceMissing(store, "secretId", false, missing);
                return missing.isEmpty() ? SignInFinding.found(auth, "AppRole role id and secret id")
                        : SignInFinding.missing(auth, String.join("; ", missing),
                        "vault write -f auth/approle/role/<role>/secret-id");
            }
            case "kubernetes" -> {
                Path jwt = context.resolve(store.string("jwtFile", "/var/run/secrets/kubernetes.io/serviceaccount/token"));
                return Files.isReadable(jwt) ? SignInFinding.found(auth, "service-account JWT " + jwt)
                        : SignInFinding.missing(auth, "service-account JWT " + jwt + " not found (only in a pod)",
                        "use auth: token and vault login on a laptop");
            }
            default -> {
                return SignInFinding.missing(auth, "unknown auth '" + auth + "'", "set auth to token, approle or "
                        + "kubernetes");
            }
        }
    }

    private SignInFinding vaultCli(String auth) {
        VaultCliToken.Origin origin;
        try {
            origin = VaultCliToken.locate(context.environment());
        } catch (MisconfiguredException e) {
            return SignInFinding.missing(auth, e.detail(), "fix token_helper in ~/.vault");
        }
        return switch (origin.kind()) {
            case ENVIRONMENT -> SignInFinding.found(auth, "VAULT_TOKEN");
            case HELPER -> Files.isExecutable(origin.path()) ? SignInFinding.found(auth, origin.description())
                    : SignInFinding.missing(auth, origin.description() + " is not executable",
                    "chmod +x " + origin.path());
            case FILE -> origin.path() != null && Files.isRegularFile(origin.path())
                    ? SignInFinding.found(auth, "token " + origin.description() + " (vault login)")
                    : SignInFinding.missing(auth, "no VAULT_TOKEN, no token_helper, no "
                    + (origin.path() == null ? "~/.vault-token" : origin.path().toString()), VaultCliToken.LOGIN_COMMAND);
        };
    }

    private void sourceMissing(StoreDefinition store, String key, boolean literalAllowed, List<String> missing) {
        if (literalAllowed && store.string(key) != null) {
            return;
        }
        String file = store.string(key + "File");
        String variable = store.string(key + "Env");
        if (file != null && !Files.isReadable(context.resolve(file))) {
            missing.add(key + "File " + context.resolve(file) + " not found");
        } else if (variable != null && !isSet(variable)) {
            missing.add(variable + " is not set");
        } else if (file == null && variable == null) {
            missing.add(key + " is not configured");
        }
    }

    // ---- SOPS -------------------------------------------------------------------------------------------------

    private SignInFinding sops(StoreDefinition store) {
        String setting = store.string("ageKeyFile");
        Path kmsSecretsKey = home() == null ? null : home().resolve(KMS_SECRETS_AGE_KEY);
        String file = store.string("file", "FILE");
        String recipient = "; then someone who can decrypt " + file + " runs: sops -r -i --add-age <your age1... public "
                + "key> " + file;
        if (setting != null && !setting.isBlank()) {
            Path path = AgeKeyFiles.resolve(setting, context);
            return Files.isRegularFile(path) ? SignInFinding.found("age", "age key " + path + " (setting ageKeyFile)")
                    : SignInFinding.missing("age", "age key " + path + " (setting ageKeyFile) not found",
                    "age-keygen -o " + path + recipient);
        }
        List<String> found = new ArrayList<>();
        if (isSet("SOPS_AGE_KEY")) {
            found.add("SOPS_AGE_KEY");
        }
        String keyFile = context.env("SOPS_AGE_KEY_FILE");
        if (keyFile != null && !keyFile.isBlank()) {
            Path path = context.resolve(keyFile);
            if (!Files.isRegularFile(path)) {
                return SignInFinding.missing("age", "SOPS_AGE_KEY_FILE " + path + " not found",
                        "export SOPS_AGE_KEY_FILE=<your age key file>");
            }
            found.add("SOPS_AGE_KEY_FILE " + path);
        }
        Path standard = AgeKeyFiles.sopsDefault(context);
        if (standard != null && Files.isRegularFile(standard)) {
            found.add(standard.toString());
        }
        if (!found.isEmpty()) {
            return SignInFinding.found("age", "age key from " + String.join(", ", found));
        }
        if (kmsSecretsKey != null && Files.isRegularFile(kmsSecretsKey)) {
            return SignInFinding.missing("age", "no SOPS_AGE_KEY(_FILE) or sops key file; ~/" + KMS_SECRETS_AGE_KEY
                    + " exists but this store does not use it", "export SOPS_AGE_KEY_FILE=" + kmsSecretsKey);
        }
        return SignInFinding.missing("age", "no age key: SOPS_AGE_KEY, SOPS_AGE_KEY_FILE"
                + (standard == null ? "" : ", " + standard) + (kmsSecretsKey == null ? "" : ", " + kmsSecretsKey)
                + " not found", "age-keygen -o " + (standard == null ? "~/.config/sops/age/keys.txt" : standard)
                + recipient);
    }

    private Path home() {
        String home = context.env("HOME");
        return home == null || home.isBlank() ? null : Path.of(home);
    }

    private boolean isSet(String variable) {
        String value = context.env(variable);
        return value != null && !value.isBlank();
    }
}
