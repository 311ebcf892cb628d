package io.jenkins.plugins.kmssecrets.store.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The token of the account signed in with the Azure CLI, as azure-identity's {@code AzureCliCredential} gets it:
 * {@code az account get-access-token --output json --resource <resource> [--tenant <tenant>]}, reading
 * {@code accessToken} and {@code expires_on} (or the older {@code expiresOn}, local time) from its output.
 *
 * <p>Unlike the SDK's credential, {@code az} is looked up on the {@code PATH} of the store's environment and run with
 * that environment (so {@code AZURE_CONFIG_DIR} is honoured), without a shell; it is given {@code timeout} to
 * answer and then stopped. Its output holds the token and is never logged; of its error output only the
 * {@code AADSTS} code and whether it asks for {@code az login} are used.
 */
final class AzureCliTokenCredential implements TokenCredential {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern AADSTS = Pattern.compile("AADSTS\\d{4,8}");
    private static final Pattern SAFE_ARGUMENT = Pattern.compile("[A-Za-z0-9_.:/-]{1,256}");
    private static final DateTimeFormatter LEGACY_EXPIRES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]");

    private final Map<String, String> environment;
    private final String tenantId;
    private final Duration timeout;

    AzureCliTokenCredential(Map<String, String> environment, String tenantId, Duration timeout) {
        this.environment = Map.copyOf(environment);
        this.tenantId = tenantId;
        this.timeout = timeout;
    }

    @Override
    public Mono<AccessToken> getToken(TokenRequestContext request) {
        return Mono.fromCallable(() -> getTokenSync(request)).subscribeOn(Schedulers.boundedElastic());
    }

    @Override
    public AccessToken getTokenSync(TokenRequestContext request) {
        if (request.getScopes().size() != 1) {
            throw new SignInFailure("the Azure CLI gives tokens for one scope at a time");
        }
        String scope = request.getScopes().get(0);
        String resource = scope.endsWith("/.default") ? scope.substring(0, scope.length() - "/.default".length())
                : scope;
        String tenant = tenantId != null ? tenantId : request.getTenantId();
        if (!SAFE_ARGUMENT.matcher(resource).matches() || (tenant != null && !SAFE_ARGUMENT.matcher(tenant).matches())) {
            throw new SignInFailure("the resource or tenant of the token request is not a plain identifier");
        }
        List<String> command = new ArrayList<>();
        Path az = executable();
        if (az.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".cmd")) {
            command.addAll(List.of("cmd.exe", "/c"));
        }
        command.addAll(List.of(az.toString(), "account", "get-access-token", "--output", "json", "--resource",
                resource));
        if (tenant != null) {
            command.addAll(List.of("--tenant", tenant));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new SignInFailure("cannot run " + az + " (" + e.getClass().getSimpleName() + ")");
        }
        try {
            process.getOutputStream().close();
            CompletableFuture<byte[]> out = drain(process.getInputStream());
            CompletableFuture<byte[]> err = drain(process.getErrorStream());
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new SignInFailure("'az account get-access-token' did not finish within "
                        + SignInCredential.seconds(timeout) + " (setting 'signInTimeout')");
            }
            if (process.exitValue() != 0) {
                throw new SignInFailure(failure(process.exitValue(), text(err)));
            }
            return token(out.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SignInFailure("interrupted while waiting for 'az account get-access-token'");
        } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new SignInFailure("could not read the output of 'az account get-access-token' ("
                    + e.getClass().getSimpleName() + ")");
        } finally {
            process.destroyForcibly();
        }
    }

    /** {@code az} on the environment's {@code PATH}. */
    private Path executable() {
        Path az = AzureCliExecutable.find(environment);
        if (az == null) {
            throw new SignInFailure("the Azure CLI ('az') is not on the PATH; install it and run 'az login', or choose "
                    + "another auth mode");
        }
        return az;
    }

    private static String failure(int exit, String stderr) {
        Matcher code = AADSTS.matcher(stderr);
        if (code.find()) {
            return "'az account get-access-token' was refused: " + code.group() + " (exit " + exit
                    + "); run 'az login' again";
        }
        if (stderr.contains("az login")) {
            return "the Azure CLI is not signed in ('az account get-access-token' exit " + exit + "); run 'az login'";
        }
        return "'az account get-access-token' failed (exit " + exit + "); run it yourself to see why";
    }

    private static AccessToken token(byte[] output) throws IOException {
        JsonNode json;
        try {
            json = JSON.readTree(output);
        } catch (IOException e) {
            throw new SignInFailure("'az account get-access-token' did not print JSON");
        } finally {
            java.util.Arrays.fill(output, (byte) 0);
        }
        String token = json == null ? null : json.path("accessToken").asText(null);
        if (token == null || token.isEmpty()) {
            throw new SignInFailure("'az account get-access-token' printed no accessToken");
        }
        return new AccessToken(token, expiry(json));
    }

    private static OffsetDateTime expiry(JsonNode json) {
        if (json.path("expires_on").canConvertToLong()) {
            return Instant.ofEpochSecond(json.path("expires_on").asLong()).atOffset(ZoneOffset.UTC);
        }
        String text = json.path("expires_on").asText(null);
        if (text != null && text.matches("\\d{1,12}")) {
            return Instant.ofEpochSecond(Long.parseLong(text)).atOffset(ZoneOffset.UTC);
        }
        String legacy = json.path("expiresOn").asText(null);
        if (legacy != null) {
            try {
                return LocalDateTime.parse(legacy, LEGACY_EXPIRES).atZone(ZoneId.systemDefault()).toOffsetDateTime();
            } catch (DateTimeParseException e) {
                // fall through
            }
        }
        throw new SignInFailure("'az account get-access-token' printed no expiry time");
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return in.readNBytes(1 << 20);
            } catch (IOException e) {
                return new byte[0];
            }
        });
    }

    private static String text(CompletableFuture<byte[]> stream) {
        try {
            return new String(stream.get(1, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        } catch (Exception e) {
            return "";
        }
    }

    @Override
    public String toString() {
        return "AzureCliTokenCredential[tenant=" + tenantId + "]";
    }
}
