package io.jenkins.plugins.kmssecrets.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kmssecrets.masking.LineForms;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import io.jenkins.plugins.kmssecrets.testing.InMemorySecretStore;
import io.jenkins.plugins.kmssecrets.testing.MemoryStoreProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code exec} on a GitHub Actions runner: {@code ::add-mask::} first, and {@code --github-env}. */
class GitHubActionsCommandTest {

    static final String TOKEN = "tok-3f9a7c2e%0Asecret";
    static final String CERT = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ\n-----END CERTIFICATE-----";
    /** A value that tries to end its heredoc entry and declare another variable. */
    static final String INJECTING = "harmless-start\nkms_guess\nINJECTED=yes\nEVIL<<EOF\nbad\nEOF";

    @TempDir
    Path dir;

    final Map<String, InMemorySecretStore> stores = new HashMap<>();
    Path githubEnv;

    @BeforeEach
    void setUp() throws Exception {
        stores.put("akv", new InMemorySecretStore("akv").put("api-token", TOKEN).put("cert", CERT)
                .put("injecting", INJECTING));
        Files.writeString(dir.resolve("kms-secrets.yaml"), """
                stores:
                  - id: akv
                    type: memory
                secrets:
                  - env: API_TOKEN
                    ref: akv:api-token
                  - env: TLS_CERT
                    ref: akv:cert
                  - env: TRICKY
                    ref: akv:injecting
                """);
        githubEnv = dir.resolve("github_env");
        Files.writeString(githubEnv, "EARLIER=kept\n");
    }

    CliRun run(Map<String, String> extra, String... args) {
        Map<String, String> env = new HashMap<>(Map.of("PATH", System.getenv("PATH"), "HOME", dir.toString()));
        env.putAll(extra);
        return CliRun.run(dir, env, Clock.systemUTC(), StoreTypes.of(new MemoryStoreProvider(stores)), "", args);
    }

    static Map<String, String> runner(Path githubEnv) {
        return Map.of("GITHUB_ACTIONS", "true", "GITHUB_ENV", githubEnv.toString());
    }

    /** The runner's reading of workflow command data. */
    static String unescape(String data) {
        return data.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%");
    }

    @Test
    void addMaskLinesComeFirstOnePerFormAndNothingElseCarriesTheValue() {
        CliRun run = run(runner(githubEnv), "exec", "--", "sh", "-c",
                "echo \"token=$API_TOKEN\"; printf '%s' \"$API_TOKEN\" | base64; echo \"$TLS_CERT\"");

        assertThat(run.exitCode).as(run.toString()).isZero();
        List<String> lines = run.stdout.lines().toList();
        int masks = (int) lines.stream().takeWhile(l -> l.startsWith("::add-mask::")).count();
        List<String> registered = lines.subList(0, masks).stream()
                .map(l -> unescape(l.substring("::add-mask::".length()))).toList();
        List<String> expected = new ArrayList<>();
        for (String value : List.of(TOKEN, CERT, INJECTING)) {
            expected.addAll(LineForms.of(SecretValue.ofString(value)));
        }
        assertThat(registered).containsExactlyElementsOf(expected);
        assertThat(registered).contains(TOKEN, "-----BEGIN CERTIFICATE-----", "MIIBszCCAVmgAwIBAgIUQ",
                Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8)), "harmless-start");
        assertThat(registered).allSatisfy(form -> assertThat(form).doesNotContain("\n").doesNotContain("\r"));
        // the '%0A' inside the token is escaped, so the runner registers the token itself, not a line break
        assertThat(lines.get(0)).isEqualTo("::add-mask::tok-3f9a7c2e%250Asecret");

        String after = String.join("\n", lines.subList(masks, lines.size())) + run.out + run.err + run.stderr;
        assertThat(after).contains("token=****");
        assertThat(after).doesNotContain("::add-mask::");
        for (String form : registered) {
            assertThat(after).doesNotContain(form);
        }
    }

    @Test
    void noAddMaskLinesOutsideGitHubActions() {
        for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of("GITHUB_ACTIONS", "false"))) {
            CliRun run = run(env, "exec", "--", "sh", "-c", "echo \"token=$API_TOKEN\"");
            assertThat(run.exitCode).as(run.toString()).isZero();
            assertThat(run.all()).doesNotContain("add-mask").doesNotContain(TOKEN);
            assertThat(run.stdout).isEqualTo("token=****\n");
        }
    }

    @Test
    void githubEnvAppendsEachVariableWithItsOwnDelimiterAfterTheMasks() throws Exception {
        CliRun run = run(runner(githubEnv), "exec", "--github-env");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.stdout.lines()).isNotEmpty().allSatisfy(l -> assertThat(l).startsWith("::add-mask::"));
        assertThat(run.err).contains("kms-secrets: wrote API_TOKEN, TLS_CERT, TRICKY to $GITHUB_ENV");
        String file = Files.readString(githubEnv);
        assertThat(file).matches("(?s)EARLIER=kept\n"
                + "API_TOKEN<<(kms_[0-9a-f]{32})\n\\Q" + TOKEN + "\\E\n\\1\n"
                + "TLS_CERT<<(kms_[0-9a-f]{32})\n\\Q" + CERT + "\\E\n\\2\n"
                + "TRICKY<<(kms_[0-9a-f]{32})\n\\Q" + INJECTING + "\\E\n\\3\n");
        List<String> delimiters = file.lines().filter(l -> l.contains("<<")).map(l -> l.split("<<")[1]).toList();
        assertThat(delimiters).doesNotHaveDuplicates();
    }

    @Test
    void aValueWithNewlinesOrDelimiterLikeLinesCannotInjectAVariable() throws Exception {
        run(runner(githubEnv), "exec", "--github-env");

        assertThat(parseLikeTheRunner(Files.readString(githubEnv))).containsExactly(
                Map.entry("EARLIER", "kept"), Map.entry("API_TOKEN", TOKEN), Map.entry("TLS_CERT", CERT),
                Map.entry("TRICKY", INJECTING));
    }

    @Test
    void aValueContainingTheDelimiterIsRedrawnThenRefusedNamingTheVariable() throws Exception {
        Path file = dir.resolve("env-file");
        Files.writeString(file, "BEFORE=1\n");
        Iterator<String> redrawn = List.of("kms_guess", "kms_fresh").iterator();
        new GitHubActions(redrawn::next).appendEnvironmentFile(file, Map.of("TRICKY", INJECTING));
        assertThat(Files.readString(file)).isEqualTo("BEFORE=1\nTRICKY<<kms_fresh\n" + INJECTING + "\nkms_fresh\n");

        Map<String, String> values = new LinkedHashMap<>();
        values.put("FIRST", "fine-value");
        values.put("TRICKY", INJECTING);
        GitHubActions colliding = new GitHubActions(() -> "kms_guess");
        assertThatThrownBy(() -> colliding.appendEnvironmentFile(file, values))
                .isInstanceOf(CommandFailedException.class)
                .hasMessage("the value of TRICKY contains the $GITHUB_ENV delimiter; nothing was written to "
                        + "$GITHUB_ENV")
                .satisfies(e -> assertThat(((CommandFailedException) e).exitCode()).isEqualTo(ExitCode.INPUT));
        assertThat(Files.readString(file)).doesNotContain("FIRST");
    }

    @Test
    void randomDelimitersAreLongAndFresh() {
        String a = GitHubActions.randomDelimiter();
        assertThat(a).matches("kms_[0-9a-f]{32}");
        assertThat(GitHubActions.randomDelimiter()).isNotEqualTo(a);
    }

    @Test
    void githubEnvIsRefusedOutsideARunnerOrWithoutTheFile() throws Exception {
        CliRun outside = run(Map.of("GITHUB_ENV", githubEnv.toString()), "exec", "--github-env");
        assertThat(outside.exitCode).isEqualTo(ExitCode.INPUT);
        assertThat(outside.err).contains("--github-env needs GITHUB_ACTIONS=true");

        CliRun noFile = run(Map.of("GITHUB_ACTIONS", "true"), "exec", "--github-env");
        assertThat(noFile.exitCode).isEqualTo(ExitCode.INPUT);
        assertThat(noFile.err).contains("GITHUB_ENV is not set");
        assertThat(Files.readString(githubEnv)).isEqualTo("EARLIER=kept\n");
        assertThat(stores.get("akv").valueReads()).isZero();

        CliRun noCommand = run(Map.of(), "exec");
        assertThat(noCommand.exitCode).isEqualTo(ExitCode.INPUT);
        assertThat(noCommand.err).contains("missing COMMAND");
    }

    @Test
    void githubEnvWithACommandRunsItToo() throws Exception {
        CliRun run = run(runner(githubEnv), "exec", "--github-env", "--only", "API_TOKEN", "--", "sh", "-c",
                "echo \"t=$API_TOKEN\"");
        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.stdout).endsWith("\nt=****\n");
        assertThat(parseLikeTheRunner(Files.readString(githubEnv))).containsOnlyKeys("EARLIER", "API_TOKEN");
    }

    /** The runner's reading of a $GITHUB_ENV file: NAME=VALUE lines, or NAME<<DELIMITER up to a line DELIMITER. */
    static Map<String, String> parseLikeTheRunner(String content) {
        Map<String, String> variables = new LinkedHashMap<>();
        List<String> lines = List.of(content.split("\n", -1));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty()) {
                continue;
            }
            int heredoc = line.indexOf("<<");
            int equals = line.indexOf('=');
            if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
                variables.put(line.substring(0, equals), line.substring(equals + 1));
                continue;
            }
            String name = line.substring(0, heredoc);
            String delimiter = line.substring(heredoc + 2);
            List<String> value = new ArrayList<>();
            while (!lines.get(++i).equals(delimiter)) {
                value.add(lines.get(i));
            }
            variables.put(name, String.join("\n", value));
        }
        return variables;
    }
}
