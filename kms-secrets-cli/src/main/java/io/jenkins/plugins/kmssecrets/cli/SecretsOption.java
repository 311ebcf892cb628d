package io.jenkins.plugins.kmssecrets.cli;

import io.jenkins.plugins.kmssecrets.audit.AuditContext;
import io.jenkins.plugins.kmssecrets.manifest.Manifest;
import io.jenkins.plugins.kmssecrets.manifest.SecretBinding;
import io.jenkins.plugins.kmssecrets.masking.SecretMasker;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.OverallTimeout;
import io.jenkins.plugins.kmssecrets.store.OverallTimeoutException;
import io.jenkins.plugins.kmssecrets.store.ResolvedSecrets;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.SecretResolver;
import io.jenkins.plugins.kmssecrets.store.StoreSet;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options and the fetch step shared by {@code exec} and {@code mask}. */
final class SecretsOption {

    @Option(names = "--only", paramLabel = "ENV", split = ",",
            description = "Use only these environment variables of the manifest (comma-separated).")
    List<String> only = List.of();

    @Option(names = "--verbose",
            description = "Print, per store, the requests this run sent (challenge, vault calls, tokens ...).")
    boolean verbose;

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "Most time fetching the secrets may take, e.g. 30s; past it nothing is injected and the "
                    + "command exits 3 naming what is still pending (default: no overall limit; each request is "
                    + "bounded by its store's limits).")
    String timeout;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** {@code kms-secrets: store 'akv': 12 requests (challenge 1, vault 10, token 1)}, for stores that count. */
    static void printRequests(StoreSet stores, PrintWriter err) {
        if (AuditContext.scoped()) {
            AuditContext audit = AuditContext.current();
            err.println("kms-secrets: audit: User-Agent '" + audit.userAgent() + "', correlation id "
                    + audit.correlationId());
        }
        for (String id : stores.ids()) {
            Map<String, Long> counts = stores.get(id).requestCounts();
            if (counts.isEmpty()) {
                continue;
            }
            long total = counts.entrySet().stream().filter(e -> !"token".equals(e.getKey()))
                    .mapToLong(Map.Entry::getValue).sum();
            StringBuilder parts = new StringBuilder();
            counts.forEach((kind, count) -> {
                if (count > 0) {
                    parts.append(parts.length() == 0 ? "" : ", ").append(kind).append(' ').append(count);
                }
            });
            err.println("kms-secrets: store '" + id + "': " + total + " request(s)"
                    + (parts.length() == 0 ? "" : " (" + parts + ")"));
        }
        err.flush();
    }

    /**
     * Fetches the manifest's secrets (or the {@code --only} subset) concurrently across stores; with
     * {@code --verbose}, then prints each store's request counts to the command's stderr, whether the fetch worked or
     * not.
     */
    ResolvedSecrets resolve(Manifest manifest, StoreSet stores) {
        try {
            return fetch(manifest, stores);
        } finally {
            if (verbose && command != null) {
                printRequests(stores, command.commandLine().getErr());
            }
        }
    }

    private ResolvedSecrets fetch(Manifest manifest, StoreSet stores) {
        Map<String, SecretReference> references = new LinkedHashMap<>();
        for (SecretBinding binding : manifest.secrets()) {
            if (only.isEmpty() || only.contains(binding.env())) {
                references.put(binding.env(), binding.reference());
            }
        }
        Set<String> unknown = new TreeSet<>(only);
        unknown.removeAll(references.keySet());
        if (!unknown.isEmpty()) {
            throw new CommandFailedException(ExitCode.INPUT, "--only names variables the manifest does not declare: "
                    + String.join(", ", unknown));
        }
        EnvironmentChecks.requireVariables(manifest, only);
        Duration limit = timeout == null ? null : DurationOption.parse("--timeout", timeout);
        try {
            return OverallTimeout.run(limit, () -> pending(references), ResolvedSecrets::close,
                    () -> new SecretResolver(stores, SecretResolver.DEFAULT_PARALLELISM).resolve(references));
        } catch (OverallTimeoutException e) {
            throw new CommandFailedException(ExitCode.STORE, e.message("--timeout"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailedException(ExitCode.STORE, "interrupted while fetching the secrets");
        }
    }

    /** {@code DB_PASSWORD (akv-prod:netbox-db), ...}: names and references, never values. */
    static String pending(Map<String, SecretReference> references) {
        StringBuilder sb = new StringBuilder();
        references.forEach((label, reference) -> sb.append(sb.length() == 0 ? "" : ", ").append(label).append(" (")
                .append(reference).append(')'));
        return sb.toString();
    }

    /**
     * Compiles the masker over the fetched secrets and the stores' own credential variables, and warns, by name,
     * about values too short to mask.
     */
    static SecretMasker masker(ResolvedSecrets secrets, Manifest manifest, Map<String, String> environment,
                               PrintWriter err) {
        Map<String, SecretValue> all = new LinkedHashMap<>(CredentialVariables.values(manifest, environment));
        all.putAll(secrets.values());
        SecretMasker masker;
        try {
            masker = SecretMasker.compile(all);
        } finally {
            all.forEach((name, value) -> {
                if (name.startsWith("$")) {
                    value.wipe();
                }
            });
        }
        for (String name : masker.tooShortToMask()) {
            err.println("warning: the value of " + name + " is too short to be masked in output");
        }
        err.flush();
        return masker;
    }

    /**
     * The value as an environment variable string.
     *
     * @throws CommandFailedException (input error) naming the variable when the value is not UTF-8 text or holds a
     *                                NUL character, which no environment variable can carry
     */
    static String environmentValue(String name, SecretValue value) {
        if (!value.isText()) {
            throw new CommandFailedException(ExitCode.INPUT, "the value of " + name + " is not UTF-8 text and cannot "
                    + "be passed as an environment variable");
        }
        String text = value.asString();
        if (text.indexOf('\0') >= 0) {
            throw new CommandFailedException(ExitCode.INPUT, "the value of " + name + " contains a NUL character and "
                    + "cannot be passed as an environment variable");
        }
        return text;
    }
}
