package io.jenkins.plugins.kmssecrets.jenkins.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretValidator;
import io.jenkins.plugins.kmssecrets.eso.ValidationReport;
import io.jenkins.plugins.kmssecrets.k8s.ClusterValidation;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code kmsExternalSecretsValidate(files: 'deploy/**}{@code /secrets/*.yaml')}: the engine's validation of
 * ExternalSecret files (YAML, the CRD schema, ESO's admission rules, provider key syntax). Offline by default; with a
 * cluster ({@code credentialsId} or {@code inCluster: true}, as for {@code kmsExternalSecretsSync}) the schema is the
 * CRD installed there, key syntax follows the provider of the cluster's store, and each document goes through a
 * server-side dry-run and a check that its store exists and is Ready. Nothing is changed in the cluster. Prints every
 * problem with file, line and JSON path and fails when there is one. Returns the number of ExternalSecrets validated.
 */
public final class EsoValidateStep extends ClusterStep<Integer> {

    static final String FUNCTION = "kmsExternalSecretsValidate";

    private String files = EsoWorkspace.DEFAULT_FILES;

    @DataBoundConstructor
    public EsoValidateStep() {
    }

    public String getFiles() {
        return files;
    }

    /** An Ant-style glob, relative to the workspace; comma-separated for several. */
    @DataBoundSetter
    public void setFiles(String files) {
        this.files = StepParameters.trimmedOr(files, EsoWorkspace.DEFAULT_FILES);
    }

    @Override
    protected Outcome<Integer> call(Call call) throws Exception {
        ValidationReport report;
        if (!hasCluster()) {
            report = EsoWorkspace.validate(call.workspace(), files, call.listener(), FUNCTION);
        } else {
            call.pending("the cluster's ExternalSecret CRD and stores, for " + files);
            try (KubernetesClient client = connect(call)) {
                ClusterValidation cluster = new ClusterValidation(client);
                ExternalSecretValidator validator = new ExternalSecretValidator(cluster.installedSchema(),
                        cluster.providerLookup());
                call.log().println(FUNCTION + ": judged by the ExternalSecret CRD and stores of the cluster "
                        + "(dry-run only, nothing is changed)");
                report = EsoWorkspace.validate(call.workspace(), files, call.listener(), FUNCTION, validator,
                        cluster);
            }
        }
        return Outcome.of(report.documents().size())
                .failIf(!report.isValid(), report.problems().size() + " problem(s)");
    }

    @Extension
    @Symbol(FUNCTION)
    public static final class DescriptorImpl extends OperationDescriptor {

        public DescriptorImpl() {
            super(FUNCTION, true, "files");
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.EsoValidateStep_displayName();
        }
    }
}
