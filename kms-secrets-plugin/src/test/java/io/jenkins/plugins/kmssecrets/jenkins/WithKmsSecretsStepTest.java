package io.jenkins.plugins.kmssecrets.jenkins;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import hudson.Functions;
import hudson.model.Label;
import hudson.model.Result;
import io.jenkins.plugins.kmssecrets.jenkins.config.KmsSecretsConfiguration;
import io.jenkins.plugins.kmssecrets.jenkins.steps.KmsSecretVariable;
import io.jenkins.plugins.kmssecrets.jenkins.steps.KmsSecretsAction;
import io.jenkins.plugins.kmssecrets.jenkins.steps.WithKmsSecretsStep;
import io.jenkins.plugins.kmssecrets.testing.InMemorySecretStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jenkinsci.plugins.structs.describable.DescribableModel;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class WithKmsSecretsStepTest {

    private static final String TOKEN = "tok-9c4e1a77d2";
    private InMemorySecretStore memory;

    @BeforeEach
    void store() {
        memory = new InMemorySecretStore("mem").put("api-token", TOKEN).put("pin", "ab");
        MemoryStoreConfig.STORES.put("mem", memory);
    }

    @AfterEach
    void clear() {
        MemoryStoreConfig.STORES.clear();
    }

    private static WorkflowRun run(JenkinsRule r, String script, Result expected) throws Exception {
        KmsSecretsConfiguration.get().setStores(List.of(new MemoryStoreConfig("mem")));
        WorkflowJob p = r.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition(script, true));
        return r.buildAndAssertStatus(expected, p);
    }

    @Test
    void valueIsInjectedAndMaskedInTheLog(JenkinsRule r) throws Exception {
        WorkflowRun b = run(r, "withKmsSecrets(secrets: [[env: 'TOKEN', ref: 'mem:api-token']]) {\n"
                + "  echo \"token=${env.TOKEN}\"\n"
                + "  echo \"length=${env.TOKEN.length()}\"\n"
                + "}\n", Result.SUCCESS);
        r.assertLogNotContains(TOKEN, b);
        r.assertLogContains("token=****", b);
        r.assertLogContains("length=" + TOKEN.length(), b);
        assertBuildDirectoryHasNo(TOKEN, b);
    }

    @Test
    void shellOutputIsMaskedIncludingBase64(JenkinsRule r) throws Exception {
        Assumptions.assumeFalse(Functions.isWindows(), "uses sh");
        String base64 = Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8));
        WorkflowRun b = run(r, "node {\n"
                + "  withKmsSecrets(secrets: [[env: 'TOKEN', ref: 'mem:api-token']]) {\n"
                + "    sh 'echo \"plain=$TOKEN\"; printf %s \"$TOKEN\" | base64'\n"
                + "  }\n"
                + "}\n", Result.SUCCESS);
        r.assertLogNotContains(TOKEN, b);
        r.assertLogNotContains(base64, b);
        r.assertLogContains("plain=****", b);
        assertBuildDirectoryHasNo(TOKEN, b);
    }

    @Test
    void agentOutputIsMaskedByTheDecoratorSentOverRemoting(JenkinsRule r) throws Exception {
        Assumptions.assumeFalse(Functions.isWindows(), "uses sh");
        r.createOnlineSlave(Label.get("remote"));
        WorkflowRun b = run(r, "node('remote') {\n"
                + "  withKmsSecrets(secrets: [[env: 'TOKEN', ref: 'mem:api-token']]) {\n"
                + "    sh 'echo \"agent=$TOKEN\"'\n"
                + "  }\n"
                + "}\n", Result.SUCCESS);
        r.assertLogNotContains(TOKEN, b);
        r.assertLogContains("agent=****", b);
    }

    @Test
    void exceptionLeavingTheBlockIsMasked(JenkinsRule r) throws Exception {
        WorkflowRun b = run(r, "withKmsSecrets(secrets: [[env: 'TOKEN', ref: 'mem:api-token']]) {\n"
                + "  error \"login failed with ${env.TOKEN}\"\n"
                + "}\n", Result.FAILURE);
        r.assertLogNotContains(TOKEN, b);
        r.assertLogContains("ERROR: login failed with ****", b);
        assertBuildDirectoryHasNo(TOKEN, b);
    }

    @Test
    void auditRecordsNamesAndNeverValues(JenkinsRule r) throws Exception {
        WorkflowRun b = run(r, "withKmsSecrets(secrets: [[env: 'TOKEN', ref: 'mem:api-token']]) { echo 'ok' }",
                Result.SUCCESS);
        KmsSecretsAction action = b.getAction(KmsSecretsAction.class);
        assertNotNull(action);
        assertEquals(1, action.getSecrets().size());
        KmsSecretsAction.Entry entry = action.getSecrets().get(0);
        assertEquals("TOKEN", entry.getVariable());
        assertEquals("mem", entry.getStore());
        assertEquals("api-token", entry.getName());
        String json = r.createWebClient().goTo(b.getUrl() + "api/json?depth=2", "application/json")
                .getWebResponse().getContentAsString();
        assertThat(json, containsString("api-token"));
        assertThat(json, not(containsString(TOKEN)));
    }

    @Test
    void tooShortValueIsReportedByName(JenkinsRule r) throws Exception {
        WorkflowRun b = run(r, "withKmsSecrets(secrets: [[env: 'PIN', ref: 'mem:pin']]) { echo 'ok' }",
                Result.SUCCESS);
        r.assertLogContains("the value of PIN is shorter than 3 characters", b);
    }

    @Test
    void unconfiguredStoreFailsWithItsName(JenkinsRule r) throws Exception {
        WorkflowRun b = run(r, "withKmsSecrets(secrets: [[env: 'X', ref: 'rogue:x']]) { echo 'never' }",
                Result.FAILURE);
        r.assertLogContains("store 'rogue' of X is not configured", b);
        r.assertLogNotContains("withKmsSecrets: withKmsSecrets:", b);
        r.assertLogNotContains("never", b);
        assertEquals(0, memory.valueReads());
    }

    @Test
    void variableTheShellDependsOnIsRefused(JenkinsRule r) throws Exception {
        WorkflowRun b = run(r, "withKmsSecrets(secrets: [[env: 'PATH', ref: 'mem:api-token']]) { echo 'never' }",
                Result.FAILURE);
        r.assertLogContains("withKmsSecrets: 'PATH' is reserved: the shell finds every command through it", b);
        r.assertLogNotContains("never", b);
        assertEquals(0, memory.valueReads());
    }

    @Test
    void missingSecretFailsWithoutRunningTheBlock(JenkinsRule r) throws Exception {
        WorkflowRun b = run(r, "withKmsSecrets(secrets: [[env: 'A', ref: 'mem:api-token'], [env: 'B', ref: "
                + "'mem:missing']]) { echo 'never' }", Result.FAILURE);
        r.assertLogContains("store 'mem', secret 'missing'", b);
        r.assertLogNotContains("never", b);
    }

    @Test
    void argumentsToStringShowsVariableNamesOnly(JenkinsRule r) {
        StepDescriptor descriptor = r.jenkins.getDescriptorByType(WithKmsSecretsStep.DescriptorImpl.class);
        String shown = descriptor.argumentsToString(Map.of("secrets", List.of(Map.of("env", "A", "ref", "mem:a"),
                Map.of("env", "B", "ref", "mem:b"))));
        assertEquals("A, B", shown);
    }

    @Test
    void stepArgumentsRoundTrip(JenkinsRule r) throws Exception {
        WithKmsSecretsStep step = new WithKmsSecretsStep();
        step.setSecrets(List.of(new KmsSecretVariable("TOKEN", "mem:api-token")));
        DescribableModel<WithKmsSecretsStep> model = DescribableModel.of(WithKmsSecretsStep.class);
        WithKmsSecretsStep copy = model.instantiate(model.uninstantiate2(step).toMap());
        assertThat(copy.getSecrets().stream().map(KmsSecretVariable::toString).toList(),
                contains("TOKEN=mem:api-token"));

        WithKmsSecretsStep manifest = new WithKmsSecretsStep();
        manifest.setManifest("kms-secrets.yaml");
        assertEquals("kms-secrets.yaml", model.instantiate(model.uninstantiate2(manifest).toMap()).getManifest());
    }

    /** No file the build left behind (log, build.xml, workflow/*.xml) holds the value. */
    private static void assertBuildDirectoryHasNo(String value, WorkflowRun b) throws IOException {
        byte[] needle = value.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(b.getRootDir().toPath())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] content = Files.readAllBytes(file);
                assertEquals(-1, indexOf(content, needle), () -> "secret found in " + file);
            }
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
