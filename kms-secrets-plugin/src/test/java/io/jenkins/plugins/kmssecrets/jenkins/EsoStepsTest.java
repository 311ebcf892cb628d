package io.jenkins.plugins.kmssecrets.jenkins;

import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.FilePath;
import hudson.model.Result;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Declare and validate run without any cluster; connected validation and sync need one and are covered by the
 * engine's and the CLI's tests against the mock API server. Here: the step reaches the cluster set-up and reports its
 * errors.
 */
@WithJenkins
class EsoStepsTest {

    private static final String MANIFEST = String.join("\n",
            "stores:",
            "  - id: akv-prod",
            "    type: azure-key-vault",
            "    vaultUrl: https://hybridops-prod.vault.azure.net",
            "externalSecrets:",
            "  - name: netbox-db",
            "    app: netbox",
            "    namespace: netbox",
            "    store: {name: azure-store, kind: ClusterSecretStore}",
            "    keys:",
            "      username: akv-prod:netbox-db#username",
            "      password: akv-prod:netbox-db#password",
            "");

    @Test
    void declareWritesTheManifestsAndValidateAcceptsThem(JenkinsRule r) throws Exception {
        WorkflowJob p = r.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition("node {\n"
                + "  writeFile file: 'kms-secrets.yaml', text: '''" + MANIFEST + "'''\n"
                + "  def changed = kmsExternalSecretsDeclare manifest: 'kms-secrets.yaml'\n"
                + "  echo \"changed=${changed}\"\n"
                + "  def again = kmsExternalSecretsDeclare()\n"
                + "  echo \"again=${again}\"\n"
                + "  kmsExternalSecretsValidate()\n"
                + "}\n", true));
        WorkflowRun b = r.buildAndAssertSuccess(p);
        r.assertLogContains("wrote deploy/netbox/secrets/externalsecret-netbox-db.yaml", b);
        r.assertLogContains("changed=1", b);
        r.assertLogContains("again=0", b);
        r.assertLogContains("1 ExternalSecret(s) in 1 file(s): no problems", b);
        FilePath written = r.jenkins.getWorkspaceFor(p).child("deploy/netbox/secrets/externalsecret-netbox-db.yaml");
        assertTrue(written.exists());
    }

    @Test
    void validateReportsProblemsWithTheFileAndFails(JenkinsRule r) throws Exception {
        WorkflowJob p = r.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition("node {\n"
                + "  writeFile file: 'deploy/x/secrets/externalsecret-bad.yaml', text: '''apiVersion: external-secrets.io/v1\n"
                + "kind: ExternalSecret\n"
                + "metadata:\n"
                + "  name: Bad_Name\n"
                + "spec: {}\n'''\n"
                + "  kmsExternalSecretsValidate()\n"
                + "}\n", true));
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, p);
        r.assertLogContains("deploy/x/secrets/externalsecret-bad.yaml", b);
        r.assertLogContains("problem(s)", b);
    }

    @Test
    void connectedValidateNamesAMissingCredential(JenkinsRule r) throws Exception {
        WorkflowJob p = r.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition("node {\n"
                + "  writeFile file: 'kms-secrets.yaml', text: '''" + MANIFEST + "'''\n"
                + "  kmsExternalSecretsDeclare manifest: 'kms-secrets.yaml'\n"
                + "  kmsExternalSecretsValidate credentialsId: 'no-such-kubeconfig'\n"
                + "}\n", true));
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, p);
        r.assertLogContains("kmsExternalSecretsValidate: credential 'no-such-kubeconfig' was not found", b);
    }
}
