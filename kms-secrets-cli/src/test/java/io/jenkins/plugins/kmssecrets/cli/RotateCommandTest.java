package io.jenkins.plugins.kmssecrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kmssecrets.k8s.EsoResources;
import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import io.jenkins.plugins.kmssecrets.testing.InMemorySecretStore;
import io.jenkins.plugins.kmssecrets.testing.MemoryStoreProvider;
import io.jenkins.plugins.kmssecrets.testing.k8s.EsoApiServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kms-secrets rotate} through Main.run: the plan from Git alone, from Git and a cluster, and a push. */
class RotateCommandTest {

    private static final AtomicInteger UNIQUE = new AtomicInteger();
    private static final String PASSWORD = "r0tated-db-pass-never-print";

    @TempDir
    Path dir;

    private final EsoApiServer server = EsoApiServer.shared();
    private final Map<String, InMemorySecretStore> stores = new HashMap<>();
    private String namespace;

    @BeforeEach
    void setUp() throws Exception {
        namespace = "rotate-cli-" + UNIQUE.incrementAndGet();
        stores.put("akv-prod", new InMemorySecretStore("akv-prod")
                .put("netbox-db", "{\"username\":\"netbox\",\"password\":\"" + PASSWORD + "\"}"));
        Files.writeString(dir.resolve("kms-secrets.yaml"), """
                stores:
                  - id: akv-prod
                    type: memory
                externalSecrets:
                  - name: netbox-db
                    app: netbox
                    namespace: %1$s
                    store: {name: azure-store, kind: ClusterSecretStore}
                    keys:
                      password: akv-prod:netbox-db#password
                  - name: netbox-user
                    app: netbox
                    namespace: %1$s
                    store: {name: azure-store, kind: ClusterSecretStore}
                    keys:
                      username: akv-prod:netbox-db#username
                """.formatted(namespace));
        assertThat(run("eso", "declare").exitCode).isZero();
    }

    private CliRun run(String... args) {
        return CliRun.run(dir, Map.of("PATH", System.getenv("PATH"), "HOME", dir.toString()), Clock.systemUTC(),
                StoreTypes.of(new MemoryStoreProvider(stores)), "", args);
    }

    @Test
    void withoutAClusterThePlanListsTheDeclaredConsumersAndChangesNothing() throws Exception {
        // An app listed first whose secrets/ holds no YAML declares nothing; the other apps still count.
        Files.createDirectories(dir.resolve("deploy/aaa-empty/secrets"));

        CliRun run = run("rotate", "akv-prod:netbox-db#password");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out).contains("rotation plan for akv-prod:netbox-db#password")
                .contains("ExternalSecrets declared in Git (2)")
                .containsPattern("deploy/netbox/secrets/externalsecret-netbox-db.yaml +" + namespace
                        + " +netbox-db +netbox-db +data password <- #password\n")
                .contains("data username <- #username (another property: unchanged)")
                .contains("ExternalSecrets in the cluster (not asked: no cluster given)");
        assertThat(stores.get("akv-prod").valueReads()).isZero();
        assertThat(run.all()).doesNotContain(PASSWORD);
    }

    @Test
    void withAClusterThePlanAddsLiveConsumersAndWorkloadsAsJson() throws Exception {
        KubernetesClient client = server.client();
        assertThat(run("eso", "sync", "--kubeconfig", kubeconfig().toString(), "--context", "test", "--timeout", "1s",
                "deploy/netbox/secrets").exitCode).isNotEqualTo(ExitCode.INPUT);
        client.apps().deployments().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model.apps
                .DeploymentBuilder().withNewMetadata().withName("netbox").withNamespace(namespace).endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("web").withImage("netbox:4")
                .addNewEnvFrom().withNewSecretRef().withName("netbox-db").endSecretRef().endEnvFrom().endContainer()
                .endSpec().endTemplate().endSpec().build()).create();

        CliRun run = run("rotate", "--kubeconfig", kubeconfig().toString(), "--context", "test", "-n", namespace, "--format", "json",
                "akv-prod:netbox-db#password");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out).contains("\"cluster\" : true")
                .contains("\"namespace\" : \"" + namespace + "\",\n    \"name\" : \"netbox-db\"")
                .contains("\"kind\" : \"Deployment\"").contains("\"onRotation\" : \"restart\"")
                .contains("\"envFrom (container web)\"");
        assertThat(stores.get("akv-prod").valueReads()).isZero();
    }

    @Test
    void pushForcesASyncAndReportsTheSecretHoldsTheNewValue() throws Exception {
        KubernetesClient client = server.client();
        run("eso", "sync", "--kubeconfig", kubeconfig().toString(), "--context", "test", "--timeout", "1s", "deploy/netbox/secrets");
        Thread eso = new Thread(() -> FakeEsoRefresh.answerForcedRefresh(client, namespace, "netbox-db", () -> PASSWORD),
                "fake-eso");
        eso.start();

        CliRun run = run("rotate", "--kubeconfig", kubeconfig().toString(), "--context", "test", "-n", namespace, "--push",
                "--poll-interval", "50ms", "--timeout", "20s", "--format", "junit", "akv-prod:netbox-db#password");
        eso.join(20_000);

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out).contains("<testcase classname=\"rotate.ExternalSecret." + namespace
                + "\" name=\"netbox-db\"").doesNotContain("<failure");
        assertThat(run.err).contains(namespace + "/netbox-db: synced");
        assertThat(EsoResources.externalSecrets(client).inNamespace(namespace).withName("netbox-user").get()
                .getMetadata().getAnnotations()).doesNotContainKey("kms-secrets.io/rotated");
        assertThat(run.all()).doesNotContain(PASSWORD)
                .doesNotContain(Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void optionsThatCannotWorkTogetherAreInputErrors() {
        assertThat(run("rotate", "--restart", "akv-prod:netbox-db").err).isEqualTo("error: --restart needs --push\n");
        assertThat(run("rotate", "--format", "junit", "akv-prod:netbox-db").exitCode).isEqualTo(ExitCode.INPUT);
        assertThat(run("rotate", "akv-prod:netbox-db@3").err).contains("drop @3");
        assertThat(run("rotate", "--eso-store", "broken", "akv-prod:netbox-db").err)
                .contains("--eso-store takes NAME=STORE");
    }

    private Path kubeconfig() throws Exception {
        return server.writeKubeconfig(dir.resolve("kubeconfig"), "test");
    }

}
