package io.jenkins.plugins.kmssecrets.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.kmssecrets.store.azure.AzureCliExecutable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Whether the Azure CLI is signed in: {@code az account show --output json}, which prints the account (user name,
 * tenant, subscription) and no token. {@code az} is found on the {@code PATH} of the environment handed in and run
 * with that environment, without a shell; its error output is not read.
 */
final class AzureCliAccount {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PRINTABLE = Pattern.compile("[A-Za-z0-9@._:+ -]{1,120}");

    private final Map<String, String> environment;
    private final Duration timeout;

    AzureCliAccount(Map<String, String> environment, Duration timeout) {
        this.environment = Map.copyOf(environment);
        this.timeout = timeout;
    }

    /** The finding for {@code method}: the signed-in account, or what is missing and {@code login} to fix it. */
    SignInFinding inspect(String method, String login) {
        Path az = executable();
        if (az == null) {
            return SignInFinding.missing(method, "the Azure CLI ('az') is not on the PATH",
                    "install the Azure CLI (https://aka.ms/azure-cli), then " + login);
        }
        List<String> command = new ArrayList<>();
        if (az.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".cmd")) {
            command.addAll(List.of("cmd.exe", "/c"));
        }
        command.addAll(List.of(az.toString(), "account", "show", "--output", "json"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = null;
        try {
            process = builder.start();
            process.getOutputStream().close();
            InputStream stdout = process.getInputStream();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
                try (stdout) {
                    return stdout.readNBytes(1 << 20);
                } catch (IOException e) {
                    return new byte[0];
                }
            });
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return SignInFinding.missing(method, "'az account show' did not answer within "
                        + timeout.toSeconds() + " s", login);
            }
            if (process.exitValue() != 0) {
                return SignInFinding.missing(method, "the Azure CLI is not signed in ('az account show' exit "
                        + process.exitValue() + ")", login);
            }
            JsonNode account = JSON.readTree(out.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
            String user = printable(account.path("user").path("name").asText(null));
            String tenant = printable(account.path("tenantId").asText(null));
            return SignInFinding.found(method, "az login as " + (user == null ? "an unnamed account" : user)
                    + (tenant == null ? "" : " (tenant " + tenant + ")"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SignInFinding.missing(method, "interrupted while running 'az account show'", login);
        } catch (IOException | RuntimeException | java.util.concurrent.ExecutionException
                | java.util.concurrent.TimeoutException e) {
            return SignInFinding.missing(method, "'az account show' failed (" + e.getClass().getSimpleName() + ")",
                    login);
        } finally {
            if (process != null) {
                process.destroyForcibly();
            }
        }
    }

    private Path executable() {
        return AzureCliExecutable.find(environment);
    }

    private static String printable(String text) {
        return text != null && PRINTABLE.matcher(text).matches() ? text : null;
    }
}
