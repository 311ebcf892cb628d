package io.jenkins.plugins.kmssecrets.testing.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.jenkins.plugins.kmssecrets.k8s.EsoResources;
import io.jenkins.plugins.kmssecrets.testing.RequestLog;
import io.jenkins.plugins.kmssecrets.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Kubernetes API server on 127.0.0.1 (fabric8's mock server in CRUD mode) with the real ESO CRDs from
 * {@code shared/testdata/eso/crds} registered, server-side apply and dry-run support, and helpers to create stores
 * and kubeconfig files. Plain HTTP; the bearer token is accepted and ignored.
 */
public final class EsoApiServer implements AutoCloseable {

    /** The CRDs registered. */
    public static final List<String> CRDS = List.of("external-secrets.io_externalsecrets.yaml",
            "external-secrets.io_secretstores.yaml", "external-secrets.io_clustersecretstores.yaml");

    // The mock server logs every request at INFO; the tests assert on what matters instead. Held in a field:
    // java.util.logging keeps loggers weakly, and a collected logger forgets its level.
    private static final java.util.logging.Logger MOCK_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");

    static {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private static EsoApiServer shared;

    private final ServerSideApplyDispatcher dispatcher = new ServerSideApplyDispatcher();
    private final KubernetesMockServer server;
    private final KubernetesClient client;

    private EsoApiServer(boolean withCrds) {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient(new JdkHttpClientFactory());
        if (withCrds) {
            for (String crd : CRDS) {
                installCrd(TestData.path("eso/crds/" + crd));
            }
        }
    }

    /**
     * The server shared by every test in this JVM (starting one and registering the large store CRDs takes seconds).
     * Tests use namespaces and app names of their own.
     */
    public static synchronized EsoApiServer shared() {
        if (shared == null) {
            shared = new EsoApiServer(true);
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    /**
     * Posts a CRD file as JSON. The ExternalSecret CRD goes in whole. The two store CRDs keep their names, scope,
     * versions and subresources, but their 690 kB provider schemas are cut to {@code x-kubernetes-preserve-unknown-fields}:
     * the mock server never validates against a schema, and binding them costs seconds per test run.
     */
    @SuppressWarnings("unchecked")
    private void installCrd(Path file) {
        try {
            Map<String, Object> tree = (Map<String, Object>) new org.yaml.snakeyaml.Yaml().load(Files.readString(file));
            if (!file.getFileName().toString().contains("externalsecrets")) {
                Map<String, Object> spec = (Map<String, Object>) tree.get("spec");
                for (Object version : (List<Object>) spec.get("versions")) {
                    ((Map<String, Object>) version).put("schema", Map.of("openAPIV3Schema",
                            Map.of("type", "object", "x-kubernetes-preserve-unknown-fields", true)));
                }
            }
            byte[] json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(tree);
            var http = client.getHttpClient();
            var request = http.newHttpRequestBuilder().uri(url() + "/apis/apiextensions.k8s.io/v1/customresourcedefinitions")
                    .post("application/json", json).build();
            int code = http.sendAsync(request, byte[].class).get(30, java.util.concurrent.TimeUnit.SECONDS).code();
            if (code / 100 != 2) {
                throw new IllegalStateException("installing " + file.getFileName() + " failed with HTTP " + code);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("installing " + file.getFileName() + " failed", e);
        }
    }

    /** Starts a server with the ESO CRDs installed. */
    public static EsoApiServer start() {
        return new EsoApiServer(true);
    }

    /** Starts a server without ESO (no CRDs). */
    public static EsoApiServer startWithoutEso() {
        return new EsoApiServer(false);
    }

    /**
     * Every request received, with its headers as sent on the wire. The shared server serves many tests: filter by
     * path (a namespace of the test's own).
     */
    public RequestLog requests() {
        return dispatcher.requests;
    }

    /** A client for test set-up and assertions. */
    public KubernetesClient client() {
        return client;
    }

    /** A new client of its own (for a controller thread). */
    public KubernetesClient newClient() {
        return server.createClient(new JdkHttpClientFactory());
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://" + server.getHostName() + ":" + server.getPort();
    }

    /** Writes a kubeconfig with one context, {@code context}, pointing here. */
    public Path writeKubeconfig(Path file, String context) throws IOException {
        String text = "apiVersion: v1\nkind: Config\n"
                + "clusters:\n- name: mock\n  cluster:\n    server: " + url() + "\n"
                + "users:\n- name: ci\n  user:\n    token: not-a-real-token\n"
                + "contexts:\n- name: other\n  context:\n    cluster: nowhere\n    user: ci\n"
                + "- name: " + context + "\n  context:\n    cluster: mock\n    user: ci\n    namespace: default\n"
                + "current-context: other\n";
        Files.writeString(file, text);
        return file;
    }

    /** Creates a SecretStore (or ClusterSecretStore when {@code namespace} is null) with a provider and status. */
    public void createStore(String namespace, String name, String providerKey, boolean ready) {
        Map<String, Object> spec = Map.of("provider", Map.of(providerKey, Map.of("vaultUrl",
                "https://example.vault.azure.net")));
        GenericKubernetesResource store = new GenericKubernetesResourceBuilder()
                .withApiVersion("external-secrets.io/v1")
                .withKind(namespace == null ? "ClusterSecretStore" : "SecretStore")
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .addToAdditionalProperties("spec", spec)
                .build();
        var op = namespace == null ? client.genericKubernetesResources(EsoResources.CLUSTER_SECRET_STORE)
                : client.genericKubernetesResources(EsoResources.SECRET_STORE).inNamespace(namespace);
        op.resource(store).create();
        Map<String, Object> condition = Map.of("type", "Ready", "status", ready ? "True" : "False",
                "reason", ready ? "Valid" : "InvalidProviderConfig",
                "message", ready ? "store validated" : "unable to validate store");
        op.withName(name).editStatus(r -> {
            r.getAdditionalProperties().put("status", Map.of("conditions", List.of(condition)));
            return r;
        });
    }

    /** Server-side applies so far (not counting dry runs). */
    public int applies() {
        return dispatcher.applies.get();
    }

    /** Server-side dry-run applies so far. */
    public int dryRunApplies() {
        return dispatcher.dryRunApplies.get();
    }

    /** Requests so far that asked for HTTP/2 (an h2c upgrade) or arrived over it. */
    public int http2Requests() {
        return dispatcher.http2Requests.get();
    }

    /** The Accept header of every read of a Secret. */
    public List<String> secretReadAcceptHeaders() {
        return List.copyOf(dispatcher.secretReadAcceptHeaders);
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
