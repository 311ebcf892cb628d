package io.jenkins.plugins.kmssecrets.jenkins.steps;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretDocument;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretValidator;
import io.jenkins.plugins.kmssecrets.eso.ValidationReport;
import io.jenkins.plugins.kmssecrets.jenkins.config.PluginClassLoaderScope;
import io.jenkins.plugins.kmssecrets.k8s.ClusterAccess;
import io.jenkins.plugins.kmssecrets.k8s.ClusterValidation;
import io.jenkins.plugins.kmssecrets.k8s.InlineClusterAccess;
import io.jenkins.plugins.kmssecrets.problem.Problem;
import io.jenkins.plugins.kmssecrets.yaml.YamlInput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * What the External Secrets steps share: reading ExternalSecret files from the workspace (on the controller, through
 * {@link FilePath}, so the engine sees text and never a path on an agent) and connecting to a cluster.
 */
final class EsoWorkspace {

    /** Where {@code kmsExternalSecretsDeclare} writes, and what the other steps read by default. */
    static final String DEFAULT_FILES = "deploy/**/secrets/externalsecret-*.yaml";

    /** {@code namespace/name, ...} of the documents, for a step's pending list. */
    static String names(List<ExternalSecretDocument> documents) {
        return String.join(", ", documents.stream().map(d -> d.namespace() + "/" + d.name()).toList());
    }

    private EsoWorkspace() {
    }

    /** Validates every file matching {@code glob} offline (schema, webhook rules, key syntax); prints problems. */
    static ValidationReport validate(FilePath workspace, String glob, TaskListener listener, String step)
            throws IOException, InterruptedException {
        return validate(workspace, glob, listener, step, ExternalSecretValidator.builtIn(), null);
    }

    /**
     * Validates every file matching {@code glob} with {@code validator}, then, when {@code cluster} is given, lets the
     * cluster judge the documents (server-side dry-run, store exists and is Ready); prints every problem.
     */
    static ValidationReport validate(FilePath workspace, String glob, TaskListener listener, String step,
            ExternalSecretValidator validator, ClusterValidation cluster) throws IOException, InterruptedException {
        FilePath[] files = workspace.list(glob);
        if (files.length == 0) {
            throw new AbortException(step + ": no file matches " + glob);
        }
        Arrays.sort(files, Comparator.comparing(FilePath::getRemote));
        ValidationReport report = new ValidationReport();
        String root = workspace.getRemote();
        for (FilePath file : files) {
            if (file.length() > YamlInput.DEFAULT_MAX_BYTES) {
                throw new AbortException(step + ": " + file.getName() + " is larger than "
                        + YamlInput.DEFAULT_MAX_BYTES + " bytes");
            }
            String text = file.readToString();
            String name = relative(root, file);
            report.addAll(PluginClassLoaderScope.call(() -> validator.validate(text, name)));
        }
        if (cluster != null) {
            List<ExternalSecretDocument> documents = report.documents();
            report.addProblems(PluginClassLoaderScope.call(() -> cluster.check(documents)));
        }
        for (Problem problem : report.problems()) {
            listener.error(problem.toString());
        }
        report.notes().forEach(listener.getLogger()::println);
        listener.getLogger().println(step + ": " + report.documents().size() + " ExternalSecret(s) in "
                + files.length + " file(s): " + (report.isValid() ? "no problems"
                : report.problems().size() + " problem(s)"));
        return report;
    }

    /**
     * A client for the cluster the step names: a kubeconfig ("secret file" credential) with an optional context, a
     * bearer token ("secret text" credential) with a server URL, or the controller pod's service account. The
     * credential is looked up in the build's context (so it must be visible to the job) and tracked on the build.
     */
    static KubernetesClient connect(Run<?, ?> run, String credentialsId, String context, String server,
            boolean inCluster, String step) throws IOException {
        if (inCluster == (credentialsId != null)) {
            throw new AbortException(step + ": give either 'credentialsId' or 'inCluster: true'");
        }
        if (inCluster) {
            return PluginClassLoaderScope.call(() -> ClusterAccess.inCluster(System.getenv()).connect());
        }
        StandardCredentials credentials = CredentialsProvider.findCredentialById(credentialsId,
                StandardCredentials.class, run);
        if (credentials == null) {
            throw new AbortException(step + ": credential '" + credentialsId + "' was not found");
        }
        CredentialsProvider.track(run, credentials);
        if (credentials instanceof FileCredentials kubeconfig) {
            try (InputStream in = kubeconfig.getContent()) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return PluginClassLoaderScope.call(() -> InlineClusterAccess.kubeconfig(text, context,
                        "credential " + credentialsId));
            }
        }
        if (credentials instanceof StringCredentials token) {
            if (server == null) {
                throw new AbortException(step + ": a token credential needs 'server'");
            }
            String bearer = token.getSecret().getPlainText();
            return PluginClassLoaderScope.call(() -> InlineClusterAccess.server(server, bearer));
        }
        throw new AbortException(step + ": credential '" + credentialsId + "' must be a secret file (kubeconfig) "
                + "or secret text (token)");
    }

    private static String relative(String root, FilePath file) {
        String remote = file.getRemote();
        String path = remote.startsWith(root) ? remote.substring(root.length()) : file.getName();
        path = path.replace('\\', '/');
        return path.startsWith("/") ? path.substring(1) : path;
    }
}
