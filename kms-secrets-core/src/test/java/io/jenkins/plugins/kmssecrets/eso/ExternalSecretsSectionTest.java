package io.jenkins.plugins.kmssecrets.eso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.kmssecrets.problem.ProblemsException;
import io.jenkins.plugins.kmssecrets.yaml.YamlInput;
import io.jenkins.plugins.kmssecrets.yaml.YamlNode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The externalSecrets section of kms-secrets.yaml. */
class ExternalSecretsSectionTest {

    static final String SECTION = """
            externalSecrets:
              - name: netbox-db
                app: netbox
                namespace: netbox
                store: {name: azure-store, kind: ClusterSecretStore}
                target: netbox-db-secret
                refreshInterval: 30m
                refreshPolicy: Periodic
                creationPolicy: Owner
                deletionPolicy: Retain
                templateType: kubernetes.io/basic-auth
                keys:
                  username: akv-prod:netbox-db#username
                  password: akv-prod:netbox-db@v2#password
              - name: netbox-api
                app: netbox
                namespace: netbox
                store: local-store
                keys:
                  token: akv-prod:netbox-api-token
            """;

    static List<ExternalSecretDeclaration> parse(String yaml) {
        YamlNode root = YamlInput.parseOne(yaml, "kms-secrets.yaml");
        return ExternalSecretsSection.parse(root.get("externalSecrets"), Set.of("akv-prod"));
    }

    static ProblemsException problems(String yaml) {
        return catchThrowableOfType(ProblemsException.class, () -> parse(yaml));
    }

    @Test
    void parsesEveryField() {
        List<ExternalSecretDeclaration> declarations = parse(SECTION);

        assertThat(declarations).hasSize(2);
        ExternalSecretDeclaration db = declarations.get(0);
        assertThat(db.store()).isEqualTo(new EsoStoreRef("azure-store", "ClusterSecretStore"));
        assertThat(db.effectiveTargetName()).isEqualTo("netbox-db-secret");
        assertThat(db.refreshInterval()).isEqualTo("30m");
        assertThat(db.templateType()).isEqualTo("kubernetes.io/basic-auth");
        assertThat(db.keys()).extracting(k -> k.secretKey() + "=" + k.reference())
                .containsExactly("username=akv-prod:netbox-db#username", "password=akv-prod:netbox-db@v2#password");
        assertThat(db.storeId()).isEqualTo("akv-prod");
        assertThat(declarations.get(1).store()).isEqualTo(new EsoStoreRef("local-store", "SecretStore"));
        assertThat(declarations.get(1).effectiveTargetName()).isEqualTo("netbox-api");
    }

    @Test
    void absentSectionIsEmpty() {
        assertThat(ExternalSecretsSection.parse(null, Set.of())).isEmpty();
    }

    @Test
    void reportsEveryProblemAtOnceWithLinesAndPaths() {
        ProblemsException e = problems("""
                externalSecrets:
                  - name: Bad_Name
                    app: netbox
                    namespace: netbox
                    store: azure-store
                    refreshInterval: soon
                    creationPolicy: Merge
                    deletionPolicy: Delete
                    colour: blue
                    keys:
                      "bad key": akv-prod:a
                      ok: nostore:a
                      other: akv-prod
                """);

        assertThat(e.problems()).extracting(p -> p.location().line() + " " + p.location().path())
                .containsExactly("2 $.externalSecrets[0].name", "6 $.externalSecrets[0].refreshInterval",
                        "8 $.externalSecrets[0].deletionPolicy", "9 $.externalSecrets[0].colour",
                        "11 $.externalSecrets[0].keys['bad key']", "12 $.externalSecrets[0].keys.ok",
                        "13 $.externalSecrets[0].keys.other");
        assertThat(e.problems().get(5).message()).isEqualTo("unknown store id 'nostore'; declared stores: akv-prod");
    }

    @Test
    void missingRequiredFieldsAreNamed() {
        ProblemsException e = problems("externalSecrets:\n  - name: a\n");

        assertThat(e.problems()).extracting(p -> p.message()).contains("missing 'app'", "missing 'namespace'",
                "missing 'store': the ESO SecretStore or ClusterSecretStore to read from");
    }

    @Test
    void keysFromTwoStoresInOneExternalSecretAreRejected() {
        YamlNode root = YamlInput.parseOne("""
                externalSecrets:
                  - {name: a, app: b, namespace: c, store: d, keys: {x: one:a, y: two:b}}
                """, "m.yaml");

        ProblemsException e = catchThrowableOfType(ProblemsException.class,
                () -> ExternalSecretsSection.parse(root.get("externalSecrets"), Set.of("one", "two")));

        assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.message())
                .startsWith("ESO reads every key of one ExternalSecret from one store"));
    }

    @Test
    void duplicateExternalSecretInOneNamespaceIsRejected() {
        ProblemsException e = problems("""
                externalSecrets:
                  - {name: a, app: b, namespace: c, store: d, keys: {x: akv-prod:a}}
                  - {name: a, app: other, namespace: c, store: d, keys: {y: akv-prod:b}}
                """);

        assertThat(e.problems()).singleElement().asString().contains("duplicate ExternalSecret 'c/a' (first "
                + "declared at line 2)");
    }

    @Test
    void sameAppAndNameInTwoNamespacesIsRejectedWithBothLocations() {
        ProblemsException e = problems("""
                externalSecrets:
                  - {name: db, app: netbox, namespace: staging, store: d, keys: {x: akv-prod:a}}
                  - {name: db, app: netbox, namespace: prod, store: d, keys: {x: akv-prod:a}}
                """);

        assertThat(e.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.location().line()).isEqualTo(3);
            assertThat(problem.toString()).contains("ExternalSecret 'db' of app 'netbox' is declared for namespace "
                    + "'staging' at line 2 and for namespace 'prod' here; both would be written to "
                    + "deploy/netbox/secrets/externalsecret-db.yaml");
        });
    }

    @Test
    void storeKindMustBeAnEsoStoreKind() {
        ProblemsException e = problems("""
                externalSecrets:
                  - {name: a, app: b, namespace: c, store: {name: d, kind: Vault}, keys: {x: akv-prod:a}}
                """);

        assertThat(e.problems()).singleElement().asString().contains("store kind must be SecretStore or "
                + "ClusterSecretStore, found 'Vault'");
    }
}
