package io.jenkins.plugins.kmssecrets.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;

import hudson.model.Result;
import io.jenkins.plugins.kmssecrets.jenkins.config.KmsSecretsConfiguration;
import io.jenkins.plugins.kmssecrets.jenkins.steps.KmsSmokeTestStep;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.testing.InMemorySecretStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.structs.describable.DescribableModel;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class KmsSmokeTestStepTest {

    private static final String VALUE = "smoke-value-6d1f";
    private InMemorySecretStore memory;

    @BeforeEach
    void store() {
        memory = new InMemorySecretStore("mem")
                .put("fine", VALUE)
                .put(new SecretMetadata("mem", "soon", "v2", true, null, null, null,
                        Instant.now().plus(Duration.ofDays(3)), Map.of(), null), VALUE);
        MemoryStoreConfig.STORES.put("mem", memory);
    }

    @AfterEach
    void clear() {
        MemoryStoreConfig.STORES.clear();
    }

    private WorkflowRun run(JenkinsRule r, String script, Result expected) throws Exception {
        KmsSecretsConfiguration.get().setStores(List.of(new MemoryStoreConfig("mem")));
        WorkflowJob p = r.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition(script, true));
        return r.buildAndAssertStatus(expected, p);
    }

    @Test
    void passingCheckPrintsTheTableAndReadsNoValue(JenkinsRule r) throws Exception {
        WorkflowRun b = run(r, "def s = kmsSmokeTest(store: 'mem', secrets: ['fine'])\necho \"summary: $s\"",
                Result.SUCCESS);
        r.assertLogContains("SECRET", b);
        r.assertLogContains("summary: 1 checked: 1 ok", b);
        assertEquals(0, memory.valueReads());
    }

    @Test
    void missingSecretFailsTheBuild(JenkinsRule r) throws Exception {
        WorkflowRun b = run(r, "kmsSmokeTest(store: 'mem', secrets: ['fine', 'gone'])", Result.FAILURE);
        r.assertLogContains("1 failed", b);
        assertEquals(0, memory.valueReads());
    }

    @Test
    void nearExpiryCanMarkTheBuildUnstable(JenkinsRule r) throws Exception {
        WorkflowRun b = run(r, "kmsSmokeTest(store: 'mem', secrets: ['soon'], warnDays: 30, unstable: true)",
                Result.UNSTABLE);
        r.assertLogContains("expires in", b);
    }

    @Test
    void nearExpiryPassesWhenWarningsAreAllowed(JenkinsRule r) throws Exception {
        run(r, "kmsSmokeTest(store: 'mem', secrets: ['soon'], failOnWarning: false)", Result.SUCCESS);
    }

    @Test
    void stepArgumentsRoundTrip(JenkinsRule r) {
        KmsSmokeTestStep step = new KmsSmokeTestStep();
        step.setStore("mem");
        step.setSecrets(List.of("a", "b"));
        step.setWarnDays(10);
        step.setUnstable(true);
        step.setJunitFile("kms-check.xml");
        DescribableModel<KmsSmokeTestStep> model = DescribableModel.of(KmsSmokeTestStep.class);
        KmsSmokeTestStep copy = model.instantiate(model.uninstantiate2(step).toMap());
        assertEquals(List.of("a", "b"), copy.getSecrets());
        assertEquals(10, copy.getWarnDays());
        assertEquals("kms-check.xml", copy.getJunitFile());
        assertEquals(true, copy.isUnstable());
    }
}
