package io.jenkins.plugins.kmssecrets.e2e;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What a pipeline's run must show, read from the {@code .expect} file beside it. One directive a line,
 * {@code #} starts a comment, placeholders ({@code @STORE@} ...) are replaced before parsing:
 * <pre>
 * stores: sops akv gsm vault     # the store types this pipeline runs for (default: all four)
 * result: SUCCESS                # SUCCESS, UNSTABLE, FAILURE or ABORTED (default SUCCESS)
 * log: some text                 # the console must contain this text (repeatable)
 * no-log: some text              # ... must not contain it (repeatable)
 * log-regex: E2E-[0-9]+          # ... must match this regular expression, multi-line (repeatable)
 * secrets-used: 3                # the build's "KMS Secrets used" action lists this many bindings
 * junit-tests: 2                 # the build's JUnit result has this many tests
 * junit-failures: 0              # ... and this many failures
 * restart-at: E2E-RESTART-NOW    # when the console shows this marker, the runner restarts Jenkins
 * outage-at: E2E-OUTAGE-NOW      # when the console shows this marker, the runner stops the store's backend
 * outage-kind: silent            # down (default: 503 / sealed / file gone) or silent (accepts, never answers; vault)
 * timeout: 300                   # seconds the build may take (default 300)
 * value-reads: 0                 # the store's backend served this many value reads during the build (not SOPS)
 * value-writes: 0                # ... and this many writes (new versions, version updates; not SOPS)
 * builds: 20                     # run this many builds of the job at once (parameter E2E_BUILD = 1..N; default 1)
 * outage-for: 10                 # restore the backend this many seconds after the outage began (default: at the end)
 * outage-result: FAILURE         # a build may end so instead of 'result', when it matches every outage-log-regex
 * outage-log-regex: could not    # (repeatable); 'no-log' applies to it too
 * reads-per-build-max: 20        # value reads at the backend over all builds, at most this many per build
 * listings-per-ttl: 1            # listings served by the backend, at most 1 + this per cache TTL of the case's time
 * scan-home: true                # after the build, leak-check every file under JENKINS_HOME too (but plugins/, war/)
 * </pre>
 * Every build is also leak-checked (console, build.xml, the whole build directory) whatever the file says.
 */
public record Expectation(Set<String> stores, String result, List<String> logContains, List<String> logLacks,
        List<Pattern> logMatches, Integer secretsUsed, Integer junitTests, Integer junitFailures, String restartAt,
        String outageAt, int timeoutSeconds, Integer valueReads, Concurrency concurrency, boolean scanHome,
        String outageKind, Integer valueWrites) {

    /**
     * The directives of a case that runs several builds at once (all null or default for one build).
     *
     * @param builds            builds started together
     * @param outageForSeconds  seconds after which the backend is restored, or null (at the end of the case)
     * @param outageResult      the other result a build may have, or null
     * @param outageLogMatches  what the console of a build with {@code outageResult} must match
     * @param readsPerBuildMax  value reads at the backend per build, at most (null: not checked)
     * @param listingsPerTtl    listings at the backend per cache TTL, at most, plus one (null: not checked)
     */
    public record Concurrency(int builds, Integer outageForSeconds, String outageResult, List<Pattern> outageLogMatches,
            Integer readsPerBuildMax, Integer listingsPerTtl) {
    }

    private static final Set<String> RESULTS = Set.of("SUCCESS", "UNSTABLE", "FAILURE", "ABORTED");

    /** Thrown for a line the parser does not understand; names the file and line. */
    public static final class SyntaxException extends IllegalArgumentException {
        public SyntaxException(String message) {
            super(message);
        }
    }

    /** Parses {@code text}; {@code file} names it in errors. */
    public static Expectation parse(String file, String text) {
        Set<String> stores = new LinkedHashSet<>(E2eCorpus.STORE_TYPES);
        String result = "SUCCESS";
        List<String> contains = new ArrayList<>();
        List<String> lacks = new ArrayList<>();
        List<Pattern> matches = new ArrayList<>();
        Integer secretsUsed = null;
        Integer junitTests = null;
        Integer junitFailures = null;
        String restartAt = null;
        String outageAt = null;
        int timeout = 300;
        Integer valueReads = null;
        Integer valueWrites = null;
        int builds = 1;
        Integer outageFor = null;
        String outageResult = null;
        List<Pattern> outageMatches = new ArrayList<>();
        Integer readsPerBuild = null;
        Integer listingsPerTtl = null;
        boolean scanHome = false;
        String outageKind = "down";
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = stripComment(lines[i]);
            if (line.isBlank()) {
                continue;
            }
            String where = file + ":" + (i + 1);
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new SyntaxException(where + ": expected 'directive: value'");
            }
            String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            if (value.isEmpty()) {
                throw new SyntaxException(where + ": '" + key + "' needs a value");
            }
            switch (key) {
                case "stores" -> {
                    stores = new LinkedHashSet<>(List.of(value.split("[\\s,]+")));
                    for (String store : stores) {
                        if (!E2eCorpus.STORE_TYPES.contains(store)) {
                            throw new SyntaxException(where + ": unknown store type '" + store + "'; known: "
                                    + String.join(", ", E2eCorpus.STORE_TYPES));
                        }
                    }
                }
                case "result" -> {
                    result = value.toUpperCase(Locale.ROOT);
                    if (!RESULTS.contains(result)) {
                        throw new SyntaxException(where + ": result must be one of SUCCESS, UNSTABLE, FAILURE, ABORTED");
                    }
                }
                case "log" -> contains.add(value);
                case "no-log" -> lacks.add(value);
                case "log-regex" -> {
                    try {
                        matches.add(Pattern.compile(value, Pattern.MULTILINE));
                    } catch (PatternSyntaxException e) {
                        throw new SyntaxException(where + ": log-regex is not a regular expression: " + e.getDescription());
                    }
                }
                case "secrets-used" -> secretsUsed = number(where, key, value);
                case "junit-tests" -> junitTests = number(where, key, value);
                case "junit-failures" -> junitFailures = number(where, key, value);
                case "restart-at" -> restartAt = value;
                case "outage-at" -> outageAt = value;
                case "outage-kind" -> {
                    if (!value.equals("down") && !value.equals("silent")) {
                        throw new SyntaxException(where + ": outage-kind must be down or silent");
                    }
                    outageKind = value;
                }
                case "timeout" -> timeout = number(where, key, value);
                case "value-reads" -> valueReads = number(where, key, value);
                case "value-writes" -> valueWrites = number(where, key, value);
                case "builds" -> {
                    builds = number(where, key, value);
                    if (builds < 1) {
                        throw new SyntaxException(where + ": builds must be at least 1");
                    }
                }
                case "outage-for" -> outageFor = number(where, key, value);
                case "outage-result" -> {
                    outageResult = value.toUpperCase(Locale.ROOT);
                    if (!RESULTS.contains(outageResult)) {
                        throw new SyntaxException(where + ": outage-result must be one of SUCCESS, UNSTABLE, FAILURE, "
                                + "ABORTED");
                    }
                }
                case "outage-log-regex" -> {
                    try {
                        outageMatches.add(Pattern.compile(value, Pattern.MULTILINE));
                    } catch (PatternSyntaxException e) {
                        throw new SyntaxException(where + ": outage-log-regex is not a regular expression: "
                                + e.getDescription());
                    }
                }
                case "reads-per-build-max" -> readsPerBuild = number(where, key, value);
                case "listings-per-ttl" -> listingsPerTtl = number(where, key, value);
                case "scan-home" -> {
                    if (!value.equals("true") && !value.equals("false")) {
                        throw new SyntaxException(where + ": scan-home must be true or false");
                    }
                    scanHome = value.equals("true");
                }
                default -> throw new SyntaxException(where + ": unknown directive '" + key + "'");
            }
        }
        return new Expectation(Set.copyOf(stores), result, List.copyOf(contains), List.copyOf(lacks),
                List.copyOf(matches), secretsUsed, junitTests, junitFailures, restartAt, outageAt, timeout, valueReads,
                new Concurrency(builds, outageFor, outageResult, List.copyOf(outageMatches), readsPerBuild,
                        listingsPerTtl), scanHome, outageKind, valueWrites);
    }

    private static String stripComment(String line) {
        // A '#' starts a comment at the line start or after whitespace, so 'log: a#b' keeps its '#'.
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static int number(String where, String key, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new SyntaxException(where + ": " + key + " must be a whole number >= 0");
        }
    }

    /**
     * What a finished build showed. {@code secretsUsed} and the JUnit counts are null when the build has none; the
     * backend counts are null where the backend cannot tell (SOPS).
     */
    public record Outcome(String result, String console, Integer secretsUsed, Integer junitTests,
            Integer junitFailures, Integer valueReads, Integer valueWrites) {

        /** An outcome without a write count. */
        public Outcome(String result, String console, Integer secretsUsed, Integer junitTests, Integer junitFailures,
                Integer valueReads) {
            this(result, console, secretsUsed, junitTests, junitFailures, valueReads, null);
        }
    }

    /** Every way {@code outcome} differs from this expectation, one line each (empty: as expected). */
    public List<String> check(Outcome outcome) {
        List<String> problems = new ArrayList<>();
        if (concurrency.outageResult() != null && concurrency.outageResult().equals(outcome.result())
                && !result.equals(outcome.result())) {
            // The other way a build may end (during an outage): its own console expectations, and no-log.
            String console = outcome.console() == null ? "" : outcome.console();
            for (Pattern pattern : concurrency.outageLogMatches()) {
                if (!pattern.matcher(console).find()) {
                    problems.add("result " + outcome.result() + " but the console does not match /" + pattern.pattern()
                            + "/");
                }
            }
            for (String text : logLacks) {
                if (console.contains(text)) {
                    problems.add("console contains '" + text + "'");
                }
            }
            return problems;
        }
        if (!result.equals(outcome.result())) {
            problems.add("result " + outcome.result() + ", expected " + result);
        }
        String console = outcome.console() == null ? "" : outcome.console();
        for (String text : logContains) {
            if (!console.contains(text)) {
                problems.add("console lacks '" + text + "'");
            }
        }
        for (String text : logLacks) {
            if (console.contains(text)) {
                problems.add("console contains '" + text + "'");
            }
        }
        for (Pattern pattern : logMatches) {
            if (!pattern.matcher(console).find()) {
                problems.add("console does not match /" + pattern.pattern() + "/");
            }
        }
        compare(problems, "secrets used", secretsUsed, outcome.secretsUsed());
        compare(problems, "JUnit tests", junitTests, outcome.junitTests());
        compare(problems, "JUnit failures", junitFailures, outcome.junitFailures());
        if (outcome.valueReads() != null) {
            compare(problems, "value reads at the backend", valueReads, outcome.valueReads());
        }
        if (outcome.valueWrites() != null) {
            compare(problems, "writes at the backend", valueWrites, outcome.valueWrites());
        } else if (valueWrites != null) {
            problems.add("writes at the backend: not counted for this store type, expected " + valueWrites);
        }
        return problems;
    }

    private static void compare(List<String> problems, String what, Integer expected, Integer actual) {
        if (expected != null && !expected.equals(actual)) {
            problems.add(what + ": " + (actual == null ? "none" : actual) + ", expected " + expected);
        }
    }
}
