package io.jenkins.plugins.kmssecrets.k8s;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.jenkins.plugins.kmssecrets.audit.AuditContext;
import io.jenkins.plugins.kmssecrets.store.BoundedHttpClient;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.NetworkLimits;
import io.jenkins.plugins.kmssecrets.yaml.YamlInput;
import io.jenkins.plugins.kmssecrets.yaml.YamlNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How kms-secrets reaches a cluster: a kubeconfig file and context, the in-cluster service account, or an explicit
 * API server URL with a bearer token file and CA certificate. Nothing is auto-detected beyond what the caller chose,
 * so a build never talks to a cluster it did not name. Clients use the JDK HttpClient transport.
 *
 * @since 0.1.0
 */
public final class ClusterAccess {

    private static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

    private final Config config;
    private final String description;

    /** fabric8 retries unanswered calls 10 times with backoff (about 20 s); a CI step should fail sooner. */
    private static final int RETRIES = 2;

    /**
     * Each request to the API server: connect 10 s, TLS handshake 10 s, response headers 10 s (fabric8's request
     * timeout), whole body 30 s.
     *
     * @since 0.3.0
     */
    public static final NetworkLimits DEFAULT_LIMITS = new NetworkLimits(Duration.ofSeconds(10),
            Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(30));

    private ClusterAccess(Config config, String description) {
        this.config = config;
        this.description = description;
    }

    /**
     * A kubeconfig file and optional context ({@code null}: the file's current context).
     *
     * @throws InvalidInputException when the file cannot be read or the context does not exist
     */
    public static ClusterAccess kubeconfig(Path file, String context) {
        String text = YamlInput.readText(file, file.toString(), YamlInput.DEFAULT_MAX_BYTES);
        if (context != null) {
            // fabric8 falls back to the current context for an unknown name; a typo must not reach another cluster.
            List<String> contexts = new ArrayList<>();
            YamlNode root = YamlInput.parseOne(text, file.toString());
            YamlNode list = root.get("contexts");
            if (list != null) {
                list.items().forEach(item -> {
                    YamlNode name = item.get("name");
                    if (name != null && name.isScalar()) {
                        contexts.add(name.text());
                    }
                });
            }
            if (!contexts.contains(context)) {
                throw new InvalidInputException(null, null, file + ": no context '" + context + "'; contexts: "
                        + (contexts.isEmpty() ? "(none)" : String.join(", ", contexts)));
            }
        }
        Config config;
        try {
            config = Config.fromKubeconfig(context, file.toFile());
        } catch (RuntimeException e) {
            throw new InvalidInputException(null, null, file + ": not a usable kubeconfig"
                    + (context == null ? "" : " for context '" + context + "'") + " (" + e.getClass().getSimpleName()
                    + ")");
        }
        if (config.getMasterUrl() == null || config.getMasterUrl().isBlank()) {
            throw new InvalidInputException(null, null, file + ": no cluster server for context "
                    + (context == null ? "(current)" : "'" + context + "'"));
        }
        return new ClusterAccess(config, "kubeconfig " + file + (context == null ? "" : " context " + context));
    }

    /** The kubeconfig named by {@code KUBECONFIG} (first entry) or {@code $HOME/.kube/config}, current context. */
    public static ClusterAccess defaultKubeconfig(Map<String, String> environment, String context) {
        String fromEnv = environment.get("KUBECONFIG");
        Path file = fromEnv != null && !fromEnv.isBlank()
                ? Path.of(fromEnv.split(java.io.File.pathSeparator)[0])
                : Path.of(home(environment), ".kube", "config");
        return kubeconfig(file, context);
    }

    /** {@code HOME} from the given environment (so a caller's environment decides), else the JVM's user.home. */
    private static String home(Map<String, String> environment) {
        String home = environment.get("HOME");
        return home != null && !home.isBlank() ? home : System.getProperty("user.home");
    }

    /**
     * The service account of the pod this runs in ({@code KUBERNETES_SERVICE_HOST}/{@code _PORT} and the mounted
     * token, CA and namespace).
     *
     * @throws MisconfiguredException when not running in a pod
     */
    public static ClusterAccess inCluster(Map<String, String> environment) {
        return inCluster(environment, SERVICE_ACCOUNT);
    }

    static ClusterAccess inCluster(Map<String, String> environment, Path serviceAccount) {
        String host = environment.get("KUBERNETES_SERVICE_HOST");
        String port = environment.getOrDefault("KUBERNETES_SERVICE_PORT", "443");
        Path token = serviceAccount.resolve("token");
        if (host == null || !Files.isReadable(token)) {
            throw new MisconfiguredException(null, null, "not running in a Kubernetes pod: KUBERNETES_SERVICE_HOST "
                    + "or the service account token (" + token + ") is missing");
        }
        String url = "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        ConfigBuilder builder = new ConfigBuilder(Config.empty()).withMasterUrl(url)
                .withOauthToken(readToken(token));
        Path ca = serviceAccount.resolve("ca.crt");
        if (Files.isReadable(ca)) {
            builder.withCaCertFile(ca.toString());
        }
        Path namespace = serviceAccount.resolve("namespace");
        if (Files.isReadable(namespace)) {
            builder.withNamespace(readToken(namespace));
        }
        return new ClusterAccess(builder.build(), "in-cluster service account");
    }

    /**
     * An API server, a file holding the bearer token, and the CA certificate file ({@code null} for the system
     * trust store). A token is never sent over plain {@code http://} except to a loopback host.
     *
     * @throws InvalidInputException when a token would go over plain http to another host, or a file is unreadable
     */
    public static ClusterAccess server(String url, Path tokenFile, Path caFile) {
        Objects.requireNonNull(url, "url");
        ConfigBuilder builder = new ConfigBuilder(Config.empty()).withMasterUrl(url);
        if (tokenFile != null && isPlainHttpToAnotherHost(url)) {
            throw new InvalidInputException(null, null, "refusing to send the bearer token over plain http to "
                    + url + ": use https:// (http is allowed for loopback only)");
        }
        if (tokenFile != null) {
            builder.withOauthToken(readToken(tokenFile));
        }
        if (caFile != null) {
            if (!Files.isReadable(caFile)) {
                throw new InvalidInputException(null, null, caFile + ": CA certificate file not readable");
            }
            builder.withCaCertFile(caFile.toAbsolutePath().toString());
        }
        return new ClusterAccess(builder.build(), "server " + url);
    }

    /** Whether {@code url} is {@code http://} to a host other than a loopback name or address (no DNS lookup). */
    private static boolean isPlainHttpToAnotherHost(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new InvalidInputException(null, null, "'" + url + "' is not a server URL");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            return false;
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]")
                || host.equals("::1");
        return !loopback;
    }

    /** Connects (lazily: the first call opens the connection), with {@link #DEFAULT_LIMITS}. */
    public KubernetesClient connect() {
        return newClient(config, DEFAULT_LIMITS);
    }

    /**
     * Connects with {@code limits} on every request but watches (a watch's body has no deadline).
     *
     * @since 0.3.0
     */
    public KubernetesClient connect(NetworkLimits limits) {
        return newClient(config, limits);
    }

    /** {@link #DEFAULT_LIMITS}, each limit at most {@code cap} (a command's {@code --timeout}). */
    public static NetworkLimits limitsWithin(Duration cap) {
        NetworkLimits d = DEFAULT_LIMITS;
        return new NetworkLimits(min(d.connect(), cap), min(d.handshake(), cap), min(d.response(), cap),
                min(d.body(), cap));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /**
     * A client on the JDK HttpClient transport with kms-secrets' settings: fewer retries, and HTTP/1.1. Over HTTP/2
     * the JDK client's reads of a large body (the ExternalSecret CRD is 70 kB) stalled for good in about 2% of tries
     * against the test API server, and fabric8's request timeout covers only the response headers, so nothing ended
     * the wait. A pipeline step makes a handful of calls; multiplexing them is worth less than never hanging.
     */
    static KubernetesClient newClient(Config config) {
        return newClient(config, DEFAULT_LIMITS);
    }

    /**
     * As {@link #newClient(Config)}, every request bounded by {@code limits}: fabric8's request timeout covers only
     * the response headers, and a body that stalls after them (seen: {@code eso sync --timeout 10s} still waiting
     * after 120 s) is ended by the body limit.
     */
    static KubernetesClient newClient(Config config, NetworkLimits limits) {
        config.setRequestRetryBackoffLimit(RETRIES);
        // A client serves one operation of one caller: it is labelled with the caller's audit context when built.
        config.setUserAgent(AuditContext.current().userAgent());
        config.setHttp2Disable(true);
        config.setConnectionTimeout((int) limits.connect().plus(limits.handshake()).toMillis());
        config.setRequestTimeout((int) limits.response().toMillis());
        return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory() {
            @Override
            protected java.net.http.HttpClient.Builder createNewHttpClientBuilder() {
                return BoundedHttpClient.builder(super.createNewHttpClientBuilder(), limits);
            }
        }).build();
    }

    /** Which cluster and how, for messages; never the token. */
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return description;
    }

    private static String readToken(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new InvalidInputException(null, null, file + ": cannot read the token file ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
