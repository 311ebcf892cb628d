package io.jenkins.plugins.kmssecrets.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jenkins.plugins.kmssecrets.eso.ExternalSecretDocument;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretSchemas;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretValidator;
import io.jenkins.plugins.kmssecrets.eso.ProviderKeySyntax;
import io.jenkins.plugins.kmssecrets.eso.EsoStoreRef;
import io.jenkins.plugins.kmssecrets.problem.Problem;
import io.jenkins.plugins.kmssecrets.testing.k8s.EsoApiServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** validate's connected checks: installed CRD schema, dry-run apply, store exists and is Ready. */
class ClusterValidationTest {

    private final EsoApiServer server = EsoApiServer.shared();

    @Test
    @SuppressWarnings("unchecked")
    void usesTheSchemaOfTheInstalledCrd() {
        assertThat(new ClusterValidation(server.client()).installedSchema().schema())
                .isEqualTo(ExternalSecretSchemas.fromCrd(server.client().getKubernetesSerialization().convertValue(
                        server.client().apiextensions().v1().customResourceDefinitions()
                                .withName(EsoResources.EXTERNAL_SECRET_CRD).get(), Map.class), "x").schema());
    }

    @Test
    void clusterWithoutEsoIsReported() {
        try (EsoApiServer bare = EsoApiServer.startWithoutEso()) {
            Throwable thrown = catchThrowable(() -> new ClusterValidation(bare.client()).installedSchema());

            assertThat(thrown).isInstanceOf(KubernetesOperationException.class).hasMessage(
                    "CRD externalsecrets.external-secrets.io is not installed; install External Secrets Operator first");
        }
    }

    @Test
    void readyStoreAndAcceptedDryRunGiveNoProblems() {
        String ns = ExternalSecretSyncTest.namespace();
        server.createStore(ns, "azure-store", "azurekv", true);
        int before = server.dryRunApplies();

        List<Problem> problems = new ClusterValidation(server.client()).check(List.of(document(ns, "SecretStore")));

        assertThat(problems).isEmpty();
        assertThat(server.dryRunApplies() - before).isEqualTo(1);
        assertThat(EsoResources.externalSecrets(server.client()).inNamespace(ns).withName("db").get())
                .as("a dry run stores nothing").isNull();
    }

    @Test
    void missingStoreIsAProblem() {
        String ns = ExternalSecretSyncTest.namespace();

        List<Problem> problems = new ClusterValidation(server.client()).check(List.of(document(ns, "SecretStore")));

        assertThat(problems).singleElement().satisfies(p -> assertThat(p.message())
                .isEqualTo("SecretStore " + ns + "/azure-store does not exist in the cluster"));
    }

    @Test
    void storeThatIsNotReadyIsAProblem() {
        String ns = ExternalSecretSyncTest.namespace();
        server.createStore(null, "unready-" + ns, "gcpsm", false);
        ExternalSecretDocument document = withStore(document(ns, "ClusterSecretStore"), "unready-" + ns);

        List<Problem> problems = new ClusterValidation(server.client()).check(List.of(document));

        assertThat(problems).singleElement().satisfies(p -> assertThat(p.message()).isEqualTo("ClusterSecretStore "
                + "unready-" + ns + " is not ready: Ready=False (InvalidProviderConfig): unable to validate store"));
    }

    @Test
    void dryRunRejectionByTheClusterIsAProblem() {
        String ns = ExternalSecretSyncTest.namespace();
        server.createStore(ns, "azure-store", "azurekv", true);
        ExternalSecretDocument document = document(ns, "SecretStore");
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) document.resource().get("metadata");
        metadata.put("annotations", Map.of("test.kms-secrets.io/reject", "spec.target is immutable"));

        List<Problem> problems = new ClusterValidation(server.client()).check(List.of(document));

        assertThat(problems).singleElement().satisfies(p -> assertThat(p.message()).isEqualTo("the cluster "
                + "rejected " + ns + "/db in a server-side dry-run: admission webhook "
                + "\"validate.externalsecret.external-secrets.io\" denied the request: spec.target is immutable"));
    }

    @Test
    void providerKeySyntaxComesFromTheClusterStore() {
        String ns = ExternalSecretSyncTest.namespace();
        server.createStore(ns, "gsm", "gcpsm", true);

        ProviderKeySyntax syntax = new ClusterValidation(server.client()).providerLookup()
                .providerFor(new EsoStoreRef("gsm", "SecretStore"), ns, null);

        assertThat(syntax).isEqualTo(ProviderKeySyntax.GOOGLE_SECRET_MANAGER);
    }

    private static ExternalSecretDocument document(String ns, String kind) {
        String yaml = """
                apiVersion: external-secrets.io/v1
                kind: ExternalSecret
                metadata:
                  name: db
                  namespace: %s
                spec:
                  secretStoreRef: {name: azure-store, kind: %s}
                  data:
                    - secretKey: password
                      remoteRef: {key: netbox-db-password}
                """.formatted(ns, kind);
        return ExternalSecretValidator.builtIn().validate(yaml, "db.yaml").documents().get(0);
    }

    @SuppressWarnings("unchecked")
    private static ExternalSecretDocument withStore(ExternalSecretDocument document, String name) {
        Map<String, Object> spec = (Map<String, Object>) document.resource().get("spec");
        spec.put("secretStoreRef", Map.of("name", name, "kind", "ClusterSecretStore"));
        return document;
    }
}
