package io.jenkins.plugins.kmssecrets.store.vault;

import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The token the {@code vault} CLI would use, found as it finds it: {@code VAULT_TOKEN} when set; else, when the CLI
 * configuration file ({@code VAULT_CONFIG_PATH}, default {@code ~/.vault}) names a {@code token_helper}, what that
 * program prints for {@code <helper> get}; else the file {@code ~/.vault-token} that {@code vault login} writes.
 * "Home" is {@code HOME} (or {@code USERPROFILE}) of the environment handed in, never the JVM's {@code user.home}.
 *
 * <p>The token is looked up again at every login (so a new {@code vault login} is picked up). The helper is run
 * without a shell, with the store's environment, given {@code timeout} to answer and then stopped; its standard
 * output is the token and its error output is discarded, unread. Messages name where a token was looked for, never
 * a token.
 *
 * @since 0.2.0
 */
public final class VaultCliToken implements VaultAuth.CredentialSource {

    /** The command that writes a token for the CLI contract. */
    public static final String LOGIN_COMMAND = "vault login";
    private static final int MAX_TOKEN_BYTES = 16 * 1024;
    private static final long MAX_CONFIG_BYTES = 1024 * 1024;
    private static final Pattern TOKEN_HELPER = Pattern.compile(
            "(?m)^[ \\t]*\"?token_helper\"?[ \\t]*[=:][ \\t]*\"((?:[^\"\\\\\\n]|\\\\.)*)\"");

    /** Where the CLI contract finds the token. */
    public enum Kind {
        /** The {@code VAULT_TOKEN} environment variable. */
        ENVIRONMENT,
        /** A {@code token_helper} program named in the CLI configuration file. */
        HELPER,
        /** The {@code ~/.vault-token} file. */
        FILE
    }

    /**
     * Where the token would come from now.
     *
     * @param kind        which rule applies
     * @param path        the helper program ({@link Kind#HELPER}), the token file ({@link Kind#FILE}, {@code null}
     *                    when no home directory is known) or {@code null} ({@link Kind#ENVIRONMENT})
     * @param description for messages: {@code VAULT_TOKEN}, {@code token_helper /usr/local/bin/h (from ~/.vault)},
     *                    {@code file /home/me/.vault-token}
     * @since 0.2.0
     */
    public record Origin(Kind kind, Path path, String description) {
    }

    private final Map<String, String> environment;
    private final Duration timeout;

    /**
     * @param environment the store's environment: {@code VAULT_TOKEN}, {@code VAULT_CONFIG_PATH}, {@code HOME},
     *                    {@code USERPROFILE}, and the helper's environment
     * @param timeout     how long the token helper may take
     */
    public VaultCliToken(Map<String, String> environment, Duration timeout) {
        this.environment = Map.copyOf(environment);
        this.timeout = timeout;
    }

    /**
     * Where the token comes from in {@code environment}, by the CLI's rules; reads the CLI configuration file (not the
     * token).
     *
     * @throws MisconfiguredException when the configuration file names a helper that is not an absolute path
     */
    public static Origin locate(Map<String, String> environment) {
        String variable = environment.get("VAULT_TOKEN");
        if (variable != null && !variable.isBlank()) {
            return new Origin(Kind.ENVIRONMENT, null, "VAULT_TOKEN");
        }
        Path home = home(environment);
        String configured = environment.get("VAULT_CONFIG_PATH");
        Path config = configured != null && !configured.isBlank() ? Path.of(configured.trim())
                : home == null ? null : home.resolve(".vault");
        String helper = config == null ? null : tokenHelper(config);
        if (helper != null) {
            Path program = Path.of(helper);
            if (!program.isAbsolute()) {
                throw new MisconfiguredException(null, null, "token_helper in " + config + " must be an absolute "
                        + "path, not '" + helper + "'");
            }
            return new Origin(Kind.HELPER, program, "token_helper " + program + " (from " + config + ")");
        }
        Path file = home == null ? null : home.resolve(".vault-token");
        return new Origin(Kind.FILE, file, file == null ? "~/.vault-token (no HOME)" : "file " + file);
    }

    @Override
    public String description() {
        try {
            return "the vault CLI's " + locate(environment).description();
        } catch (MisconfiguredException e) {
            return "the vault CLI configuration";
        }
    }

    @Override
    public String read(String storeId) {
        Origin origin;
        try {
            origin = locate(environment);
        } catch (MisconfiguredException e) {
            throw new MisconfiguredException(storeId, null, e.detail());
        }
        String token = switch (origin.kind()) {
            case ENVIRONMENT -> environment.get("VAULT_TOKEN").trim();
            case HELPER -> runHelper(storeId, origin.path());
            case FILE -> readFile(storeId, origin.path());
        };
        if (token.isEmpty()) {
            throw new MisconfiguredException(storeId, null, "no Vault token: " + origin.description()
                    + " gave an empty token; run '" + LOGIN_COMMAND + "'");
        }
        return token;
    }

    /** Whether the token may change between reads (a helper or the file, which {@code vault login} rewrites). */
    boolean rereadable() {
        String variable = environment.get("VAULT_TOKEN");
        return variable == null || variable.isBlank();
    }

    private static String readFile(String storeId, Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            throw new MisconfiguredException(storeId, null, "no Vault token: VAULT_TOKEN is not set, no "
                    + "token_helper is configured and " + (file == null ? "~/.vault-token (HOME is not set)" : file)
                    + " does not exist; run '" + LOGIN_COMMAND + "' (or set the store's tokenEnv or tokenFile)");
        }
        byte[] bytes = null;
        try {
            if (Files.size(file) > MAX_TOKEN_BYTES) {
                throw new MisconfiguredException(storeId, null, file + " is larger than " + MAX_TOKEN_BYTES
                        + " bytes; it is not a Vault token file");
            }
            bytes = Files.readAllBytes(file);
            return new String(bytes, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new MisconfiguredException(storeId, null, "cannot read the Vault token file " + file + " ("
                    + e.getClass().getSimpleName() + ")");
        } finally {
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    private String runHelper(String storeId, Path program) {
        if (!Files.isExecutable(program)) {
            throw new MisconfiguredException(storeId, null, "token_helper " + program + " does not exist or is not "
                    + "executable");
        }
        ProcessBuilder builder = new ProcessBuilder(List.of(program.toString(), "get"))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new MisconfiguredException(storeId, null, "cannot run token_helper " + program + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        byte[] bytes = null;
        try {
            process.getOutputStream().close();
            CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> {
                try (InputStream in = process.getInputStream()) {
                    byte[] read = in.readNBytes(MAX_TOKEN_BYTES);
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                    return read;
                } catch (IOException e) {
                    return new byte[0];
                }
            });
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new MisconfiguredException(storeId, null, "token_helper " + program + " did not answer within "
                        + timeout.toSeconds() + " s");
            }
            bytes = output.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (process.exitValue() != 0) {
                throw new MisconfiguredException(storeId, null, "token_helper " + program + " failed (exit "
                        + process.exitValue() + "); run '" + LOGIN_COMMAND + "'");
            }
            return new String(bytes, StandardCharsets.UTF_8).trim();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new MisconfiguredException(storeId, null, "interrupted while running token_helper " + program);
        } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
            throw new MisconfiguredException(storeId, null, "cannot read the output of token_helper " + program
                    + " (" + e.getClass().getSimpleName() + ")");
        } finally {
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    /** The {@code token_helper} path of an HCL (or JSON) CLI configuration file, or {@code null}. */
    static String tokenHelper(Path config) {
        try {
            if (!Files.isRegularFile(config) || Files.size(config) > MAX_CONFIG_BYTES) {
                return null;
            }
            Matcher matcher = TOKEN_HELPER.matcher(Files.readString(config, StandardCharsets.UTF_8));
            if (!matcher.find()) {
                return null;
            }
            String path = matcher.group(1).replace("\\\"", "\"").replace("\\\\", "\\").trim();
            return path.isEmpty() ? null : path;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Path home(Map<String, String> environment) {
        String home = environment.get("HOME");
        if (home == null || home.isBlank()) {
            home = environment.get("USERPROFILE");
        }
        return home == null || home.isBlank() ? null : Path.of(home);
    }

    @Override
    public String toString() {
        return "VaultCliToken[" + description() + "]";
    }
}
