package io.jenkins.plugins.kmssecrets.cli;

import io.jenkins.plugins.kmssecrets.file.AtomicFile;
import io.jenkins.plugins.kmssecrets.manifest.ManifestParser;
import io.jenkins.plugins.kmssecrets.store.sops.AgeKeyPair;
import io.jenkins.plugins.kmssecrets.store.sops.SopsFileWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code kms-secrets init}: a starter manifest with a {@code dev} environment backed by a SOPS file, the age key for
 * that file outside the repository, and {@code .gitignore} lines.
 */
@Command(name = "init",
        mixinStandardHelpOptions = true,
        description = {
            "Start a project: write kms-secrets.yaml (commented, with a 'dev' environment), secrets/dev.enc.yaml (a "
                    + "SOPS file with random development values, encrypted for your age key) and .gitignore lines.",
            "The age key is created at ~/.config/kms-secrets/age.key (readable by you only), never in the project; an "
                    + "existing key there is reused, never replaced. Existing project files are not overwritten "
                    + "without --force."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  kms-secrets init",
            "  kms-secrets exec --env dev -- ./run-locally.sh",
        })
final class InitCommand implements Callable<Integer> {

    static final String DEV_FILE = "secrets/dev.enc.yaml";
    static final String KEY_FILE = ".config/kms-secrets/age.key";
    static final List<String> GITIGNORE = List.of("# kms-secrets: keys and decrypted files stay out of Git",
            "*.agekey", "age.key", "*.dec.yaml", "*.dec.json", ".env");

    private static final Pattern PUBLIC_KEY = Pattern.compile("(?m)^# public key: (age1[02-9ac-hj-np-z]+)\\s*$");
    private static final SecureRandom RANDOM = new SecureRandom();

    @ParentCommand
    KmsSecretsCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--force", description = "Overwrite kms-secrets.yaml and secrets/dev.enc.yaml if they exist.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        CliContext context = root.context();
        PrintWriter out = spec.commandLine().getOut();
        Path project = context.workingDirectory();
        Path manifest = project.resolve(ManifestParser.DEFAULT_FILE);
        Path devFile = project.resolve(DEV_FILE);
        for (Path file : List.of(manifest, devFile)) {
            if (!force && Files.exists(file)) {
                throw new CommandFailedException(ExitCode.INPUT, project.relativize(file) + " exists; run with "
                        + "--force to overwrite it");
            }
        }
        String home = context.environment().get("HOME");
        if (home == null || home.isBlank()) {
            throw new CommandFailedException(ExitCode.INPUT, "HOME is not set; it says where the age key goes ("
                    + "~/" + KEY_FILE + ")");
        }
        Path keyFile = Path.of(home).resolve(KEY_FILE);
        if (keyFile.toAbsolutePath().normalize().startsWith(project.toAbsolutePath().normalize())) {
            throw new CommandFailedException(ExitCode.INPUT, "the age key (" + keyFile + ") would be inside this "
                    + "directory; run init in a project directory, not in HOME");
        }
        String recipient = ageKey(keyFile, out);

        Map<String, String> devValues = new LinkedHashMap<>();
        devValues.put("api-token", "dev-" + randomText(24));
        devValues.put("db-password", "dev-" + randomText(24));
        String encrypted = SopsFileWriter.yaml(devValues, List.of(recipient), context.clock().instant());
        AtomicFile.write(devFile, encrypted);
        out.println("wrote " + DEV_FILE + " (api-token, db-password: random development values, encrypted)");
        AtomicFile.write(manifest, starterManifest(recipient));
        out.println("wrote " + ManifestParser.DEFAULT_FILE);
        List<String> added = gitignore(project.resolve(".gitignore"));
        out.println(added.isEmpty() ? ".gitignore already has the kms-secrets lines"
                : "added to .gitignore: " + String.join(" ", added.subList(1, added.size())));
        out.println();
        out.println("Next: kms-secrets check --env dev");
        out.println("      kms-secrets exec --env dev -- sh -c 'echo \"token: $API_TOKEN\"'   # prints token: ****");
        out.println("Edit the development values: SOPS_AGE_KEY_FILE=~/" + KEY_FILE + " sops " + DEV_FILE);
        out.flush();
        return ExitCode.OK;
    }

    /** Creates the key, or reads the recipient of the one there; returns the recipient. */
    private String ageKey(Path keyFile, PrintWriter out) throws IOException {
        if (Files.exists(keyFile)) {
            return existingRecipient(keyFile, out);
        }
        try (AgeKeyPair pair = AgeKeyPair.generate()) {
            try {
                PrivateFile.create(keyFile, pair.keyFile(Instant.now().toString()));
            } catch (FileAlreadyExistsException raced) {
                return existingRecipient(keyFile, out);
            }
            out.println("created the age key ~/" + KEY_FILE + " (readable by you only; public key "
                    + pair.recipient() + ")");
            return pair.recipient();
        }
    }

    private static String existingRecipient(Path keyFile, PrintWriter out) throws IOException {
        String text = Files.readString(keyFile, StandardCharsets.US_ASCII);
        Matcher matcher = PUBLIC_KEY.matcher(text);
        if (!matcher.find()) {
            throw new CommandFailedException(ExitCode.INPUT, keyFile + " exists but has no '# public key: age1...' "
                    + "line; add the line age-keygen -y prints for it, or move the file away");
        }
        String recipient = matcher.group(1);
        out.println("using the existing age key ~/" + KEY_FILE + " (public key " + recipient + ")");
        return recipient;
    }

    /** Appends the lines the file lacks; returns them (empty when none was missing). */
    private static List<String> gitignore(Path file) throws IOException {
        List<String> present = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        List<String> missing = new ArrayList<>();
        for (String line : GITIGNORE.subList(1, GITIGNORE.size())) {
            if (!present.contains(line)) {
                missing.add(line);
            }
        }
        if (missing.isEmpty()) {
            return List.of();
        }
        missing.add(0, GITIGNORE.get(0));
        String existing = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        StringBuilder text = new StringBuilder(existing);
        if (!existing.isEmpty() && !existing.endsWith("\n")) {
            text.append('\n');
        }
        missing.forEach(line -> text.append(line).append('\n'));
        AtomicFile.write(file, text.toString());
        return missing;
    }

    private static String randomText(int length) {
        String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    static String starterManifest(String recipient) {
        return """
                # kms-secrets.yaml: the secrets this project needs and where they live. Names and references only,
                # never values: commit this file. See docs/manifest.md and docs/local-development.md.
                stores:
                  # The real store, used in CI and deployments. Change the type and settings to yours:
                  # azure-key-vault (vaultUrl), google-secret-manager (project) or vault (address, mount).
                  - id: app
                    type: azure-key-vault
                    vaultUrl: https://my-app-prod.vault.azure.net
                secrets:
                  # The environment variable each secret becomes, and <store id>:<secret name>.
                  - env: API_TOKEN
                    ref: app:api-token
                  - env: DB_PASSWORD
                    ref: app:db-password
                environments:
                  # kms-secrets exec --env dev -- ... (or KMS_SECRETS_ENV=dev): the same names, from a SOPS file
                  # encrypted for the age key in ~/.config/kms-secrets/age.key (public key %s).
                  # Without --env the stores above are used. Edit the development values with:
                  #   SOPS_AGE_KEY_FILE=~/.config/kms-secrets/age.key sops secrets/dev.enc.yaml
                  dev:
                    stores:
                      app:
                        type: sops
                        file: secrets/dev.enc.yaml
                        ageKeyFile: ~/.config/kms-secrets/age.key
                """.formatted(recipient);
    }
}
