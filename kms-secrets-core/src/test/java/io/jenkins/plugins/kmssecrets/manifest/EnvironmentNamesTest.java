package io.jenkins.plugins.kmssecrets.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.kmssecrets.problem.Problem;
import io.jenkins.plugins.kmssecrets.problem.ProblemsException;
import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import io.jenkins.plugins.kmssecrets.testing.MemoryStoreProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Names the build or the shell depends on cannot carry a secret, in a manifest or inline. */
class EnvironmentNamesTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"PATH", "Path", "PATH+MAVEN", "HOME", "SHELL", "IFS", "BASH_ENV", "LD_PRELOAD",
        "LD_LIBRARY_PATH", "DYLD_INSERT_LIBRARIES", "WORKSPACE", "WORKSPACE_TMP", "JENKINS_URL", "JENKINS_HOME",
        "HUDSON_URL", "BUILD_NUMBER", "BUILD_URL", "JOB_NAME", "RUN_DISPLAY_URL", "NODE_NAME", "EXECUTOR_NUMBER",
        "USER", "TMPDIR"})
    void reservedNamesAreRefusedWithTheirReason(String name) {
        assertThat(EnvironmentNames.reservedReason(name)).isNotBlank();
        assertThat(EnvironmentNames.problem(name)).startsWith("'" + name + "' is reserved: ")
                .endsWith("; choose another name for the secret").doesNotContain("\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"DB_PASSWORD", "NODE_AUTH_TOKEN", "GITHUB_TOKEN", "PATHFINDER_KEY", "HOMEPAGE_TOKEN",
        "BUILDER_KEY", "_PRIVATE", "JOBS"})
    void ordinaryNamesAreAllowed(String name) {
        assertThat(EnvironmentNames.reservedReason(name)).isNull();
        assertThat(EnvironmentNames.problem(name)).isNull();
    }

    @Test
    void pathSaysWhy() {
        assertThat(EnvironmentNames.problem("PATH")).isEqualTo("'PATH' is reserved: the shell finds every command "
                + "through it; choose another name for the secret");
    }

    @Test
    void malformedNamesKeepTheirMessage() {
        assertThat(EnvironmentNames.problem("1BAD")).isEqualTo("'1BAD' is not a valid environment variable name; "
                + "use letters, digits and '_', not starting with a digit");
    }

    @Test
    void inlineBindingsRefuseReservedNames() {
        ProblemsException e = catchThrowableOfType(ProblemsException.class, () -> InlineSecrets.parse(
                "withKmsSecrets", List.of(Map.entry("DB_PASSWORD", "a:b"), Map.entry("PATH", "a:c"),
                        Map.entry("BUILD_TAG", "a:d"))));
        assertThat(e.problems()).extracting(Problem::toString).containsExactlyInAnyOrder(
                "withKmsSecrets: 'PATH' is reserved: the shell finds every command through it; choose another "
                        + "name for the secret (at $.secrets[1].env)",
                "withKmsSecrets: 'BUILD_TAG' is reserved: Jenkins sets it for every build; choose another name for "
                        + "the secret (at $.secrets[2].env)");
    }

    @Test
    void manifestRefusesReservedNamesWithLineAndPath() throws Exception {
        Path manifest = dir.resolve("kms-secrets.yaml");
        Files.writeString(manifest, """
                stores:
                  - id: local
                    type: memory
                secrets:
                  - env: HOME
                    ref: local:a
                  - env: DB_PASSWORD
                    ref: local:b
                """);
        ManifestParser parser = new ManifestParser(StoreTypes.of(new MemoryStoreProvider(new HashMap<>())));

        ProblemsException e = catchThrowableOfType(ProblemsException.class,
                () -> parser.parse(manifest, "kms-secrets.yaml"));

        assertThat(e.problems()).extracting(Problem::toString).containsExactly(
                "kms-secrets.yaml:5:10: 'HOME' is reserved: tools read their configuration from it; choose another "
                        + "name for the secret (at $.secrets[0].env)");
    }
}
