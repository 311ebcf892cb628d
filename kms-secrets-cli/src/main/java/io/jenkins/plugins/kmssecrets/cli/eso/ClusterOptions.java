package io.jenkins.plugins.kmssecrets.cli.eso;

import io.jenkins.plugins.kmssecrets.cli.CliContext;
import io.jenkins.plugins.kmssecrets.k8s.ClusterAccess;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** How to reach the cluster: kubeconfig and context, in-cluster service account, or server + token file + CA. */
public final class ClusterOptions {

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "Kubeconfig file (default: $KUBECONFIG or ~/.kube/config).")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "Kubeconfig context (default: current).")
    String context;

    @Option(names = "--in-cluster", description = "Use the service account of the pod this runs in.")
    boolean inCluster;

    @Option(names = "--server", paramLabel = "URL", description = "API server URL (with --token-file, --ca-file).")
    String server;

    @Option(names = "--token-file", paramLabel = "FILE", description = "File holding the bearer token for --server.")
    Path tokenFile;

    @Option(names = "--ca-file", paramLabel = "FILE", description = "CA certificate of --server (PEM).")
    Path caFile;

    /** Whether any cluster option was given. */
    public boolean given() {
        return kubeconfig != null || context != null || inCluster || server != null;
    }

    /**
     * The access the options describe; without options, the default kubeconfig. Files resolve against the
     * context's working directory; {@code KUBECONFIG} and the in-cluster variables come from its environment.
     */
    public ClusterAccess access(CliContext cli) {
        Map<String, String> environment = cli.environment();
        Path directory = cli.workingDirectory();
        int ways = (inCluster ? 1 : 0) + (server != null ? 1 : 0) + (kubeconfig != null || context != null ? 1 : 0);
        if (ways > 1) {
            throw new InvalidInputException(null, null, "choose one of --kubeconfig/--context, --in-cluster and "
                    + "--server");
        }
        if ((tokenFile != null || caFile != null) && server == null) {
            throw new InvalidInputException(null, null, "--token-file and --ca-file need --server");
        }
        if (inCluster) {
            return ClusterAccess.inCluster(environment);
        }
        if (server != null) {
            return ClusterAccess.server(server, tokenFile == null ? null : directory.resolve(tokenFile),
                    caFile == null ? null : directory.resolve(caFile));
        }
        if (kubeconfig != null) {
            return ClusterAccess.kubeconfig(directory.resolve(kubeconfig), context);
        }
        return ClusterAccess.defaultKubeconfig(environment, context);
    }
}
