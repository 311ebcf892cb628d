package io.jenkins.plugins.kmssecrets.k8s;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.yaml.YamlInput;
import io.jenkins.plugins.kmssecrets.yaml.YamlNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Cluster access from credentials held in memory (a kubeconfig's text, a bearer token), for hosts such as Jenkins
 * that keep them as credentials: nothing is written to a file. Same rules as {@link ClusterAccess}: an unknown context
 * is an error rather than a silent fallback to the current one, and messages name the source, never the token.
 *
 * @since 0.1.0
 */
public final class InlineClusterAccess {

    private InlineClusterAccess() {
    }

    /**
     * A client for the kubeconfig {@code text} and {@code context} ({@code null}: the current context).
     *
     * @param source how messages name the kubeconfig, for example {@code credential kubeconfig-prod}
     * @throws InvalidInputException when the text is not a kubeconfig, the context does not exist or has no server
     * @since 0.1.0
     */
    public static KubernetesClient kubeconfig(String text, String context, String source) {
        Objects.requireNonNull(text, "text");
        YamlNode root;
        try {
            root = YamlInput.parseOne(text, source);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(null, null, source + ": not a kubeconfig (not YAML)");
        }
        if (!root.isMapping() || root.get("clusters") == null || !root.get("clusters").isSequence()) {
            // Without this, fabric8 would fall back to a default server (the in-cluster one): never guess a cluster.
            throw new InvalidInputException(null, null, source + ": not a kubeconfig (no 'clusters' list)");
        }
        if (context != null) {
            List<String> contexts = new ArrayList<>();
            YamlNode list = root.isMapping() ? root.get("contexts") : null;
            if (list != null && list.isSequence()) {
                list.items().forEach(item -> {
                    YamlNode name = item.isMapping() ? item.get("name") : null;
                    if (name != null && name.isScalar()) {
                        contexts.add(name.text());
                    }
                });
            }
            if (!contexts.contains(context)) {
                throw new InvalidInputException(null, null, source + ": no context '" + context + "'; contexts: "
                        + (contexts.isEmpty() ? "(none)" : String.join(", ", contexts)));
            }
        }
        Config config;
        try {
            config = Config.fromKubeconfig(context == null ? text : withCurrentContext(text, context));
        } catch (RuntimeException e) {
            throw new InvalidInputException(null, null, source + ": not a usable kubeconfig"
                    + (context == null ? "" : " for context '" + context + "'") + " (" + e.getClass().getSimpleName()
                    + ")");
        }
        if (config.getMasterUrl() == null || config.getMasterUrl().isBlank()) {
            throw new InvalidInputException(null, null, source + ": no cluster server for context "
                    + (context == null ? "(current)" : "'" + context + "'"));
        }
        return connect(config);
    }

    /**
     * A client for an API server with a bearer token, trusting the system trust store.
     *
     * @throws InvalidInputException when the URL is not https or the token is blank
     * @since 0.1.0
     */
    public static KubernetesClient server(String url, String token) {
        if (url == null || !url.startsWith("https://")) {
            throw new InvalidInputException(null, null, "cluster server '" + url + "' must be an https:// URL");
        }
        if (token == null || token.isBlank()) {
            throw new InvalidInputException(null, null, "the token for cluster server " + url + " is empty");
        }
        return connect(new ConfigBuilder(Config.empty()).withMasterUrl(url).withOauthToken(token.trim()).build());
    }

    /**
     * The kubeconfig with {@code current-context} set to {@code context}: fabric8's only non-deprecated way to read
     * a kubeconfig held in memory uses its current context. The text was already parsed safely by
     * {@link YamlInput}; it is loaded here with the safe constructor (plain maps and lists) and dumped back.
     */
    private static String withCurrentContext(String text, String context) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(50);
        Object loaded = new Yaml(new SafeConstructor(options)).load(text);
        if (!(loaded instanceof Map<?, ?> map)) {
            throw new InvalidInputException(null, null, "not a kubeconfig (not a mapping)");
        }
        Map<Object, Object> copy = new LinkedHashMap<>(map);
        copy.put("current-context", context);
        DumperOptions dump = new DumperOptions();
        dump.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(dump).dump(copy);
    }

    private static KubernetesClient connect(Config config) {
        return ClusterAccess.newClient(config);
    }
}
