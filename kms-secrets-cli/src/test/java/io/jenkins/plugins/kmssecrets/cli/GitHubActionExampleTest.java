package io.jenkins.plugins.kmssecrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The composite action and the OIDC workflow in {@code examples/github-actions}: read as YAML, checked for what keeps
 * them safe (inputs reach scripts through the environment, never interpolated into them; no stored cloud secret;
 * the jar's checksum is verified). Nothing is downloaded.
 */
class GitHubActionExampleTest {

    static final Path DIR = Path.of("..", "examples", "github-actions").toAbsolutePath().normalize();

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> load(String name) throws Exception {
        return (Map<Object, Object>) new Yaml().load(Files.readString(DIR.resolve(name)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void actionIsCompositeAndNeverInterpolatesInputsIntoScripts() throws Exception {
        Map<Object, Object> action = load("action.yml");
        Map<String, Object> runs = (Map<String, Object>) action.get("runs");
        assertThat(runs.get("using")).isEqualTo("composite");
        assertThat((Map<String, Object>) action.get("inputs")).containsKeys("jar-url", "jar-sha256", "args",
                "manifest", "environment");

        List<Map<String, Object>> steps = (List<Map<String, Object>>) runs.get("steps");
        List<String> scripts = new ArrayList<>();
        for (Map<String, Object> step : steps) {
            if (step.containsKey("run")) {
                String script = (String) step.get("run");
                scripts.add(script);
                assertThat(script).as("inputs go through env, not into the script").doesNotContain("${{");
                assertThat(step.get("shell")).isEqualTo("bash");
            }
        }
        assertThat(String.join("\n", scripts)).contains("sha256sum --check", "\"$JAR_URL\"", "\"${args[@]}\"",
                "$GITHUB_PATH");
        Map<String, Object> run = steps.get(steps.size() - 1);
        assertThat((Map<String, Object>) run.get("env")).containsEntry("KMS_SECRETS_ENV", "${{ inputs.environment }}")
                .containsEntry("KMS_SECRETS_MANIFEST", "${{ inputs.manifest }}");
    }

    @Test
    @SuppressWarnings("unchecked")
    void workflowUsesOidcFederationAndStoresNoCloudSecret() throws Exception {
        String text = Files.readString(DIR.resolve("workflow-oidc.yml"));
        Map<Object, Object> workflow = load("workflow-oidc.yml");

        assertThat((Map<String, Object>) workflow.get("permissions")).containsEntry("id-token", "write");
        assertThat(text).doesNotContainPattern("\\$\\{\\{\\s*secrets\\.").doesNotContain("client-secret")
                .doesNotContain("credentials_json");
        assertThat(text).contains("uses: azure/login@v2", "uses: google-github-actions/auth@v2",
                "workload_identity_provider:", "uses: ./examples/github-actions", "exec --github-env");
        Map<String, Object> jobs = (Map<String, Object>) workflow.get("jobs");
        assertThat(jobs).containsKeys("deploy", "check-staging");
    }
}
