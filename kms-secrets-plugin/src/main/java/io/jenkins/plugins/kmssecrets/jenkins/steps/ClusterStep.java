package io.jenkins.plugins.kmssecrets.jenkins.steps;

import hudson.Util;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * A step that may talk to a Kubernetes cluster: a kubeconfig ("secret file") credential with an optional context, a
 * token ("secret text") credential with the API server URL, or the controller pod's service account.
 *
 * @param <T> what the step returns to the script
 */
public abstract class ClusterStep<T> extends OperationStep<T> {

    private String credentialsId;
    private String context;
    private String server;
    private boolean inCluster;

    public String getCredentialsId() {
        return credentialsId;
    }

    /** A kubeconfig ("secret file") or token ("secret text", with {@code server}) credential. */
    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    public String getContext() {
        return context;
    }

    @DataBoundSetter
    public void setContext(String context) {
        this.context = Util.fixEmptyAndTrim(context);
    }

    public String getServer() {
        return server;
    }

    @DataBoundSetter
    public void setServer(String server) {
        this.server = Util.fixEmptyAndTrim(server);
    }

    public boolean isInCluster() {
        return inCluster;
    }

    @DataBoundSetter
    public void setInCluster(boolean inCluster) {
        this.inCluster = inCluster;
    }

    /** Whether the step was given a cluster. */
    protected final boolean hasCluster() {
        return credentialsId != null || inCluster;
    }

    /** A client for the cluster the parameters name; the credential is looked up in the build's context. */
    protected final KubernetesClient connect(Call call) throws IOException, InterruptedException {
        return EsoWorkspace.connect(call.run(), credentialsId, context, server, inCluster, call.function());
    }
}
