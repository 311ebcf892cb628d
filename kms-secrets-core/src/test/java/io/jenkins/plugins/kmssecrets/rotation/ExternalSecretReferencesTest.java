package io.jenkins.plugins.kmssecrets.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.eso.EsoStoreRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class ExternalSecretReferencesTest {

    private static final RotatedSecret DB_PASSWORD = new RotatedSecret("akv-prod", "netbox-db", "password",
            Map.of("env", "prod", "team", "netbox"));

    private final List<String> warnings = new ArrayList<>();
    private final ExternalSecretReferences references = new ExternalSecretReferences(
            ref -> ref.isClusterStore() && ref.name().equals("azure-store") ? "akv-prod" : null);

    @SuppressWarnings("unchecked")
    private static Map<String, Object> resource(String yaml) {
        return (Map<String, Object>) new Yaml().load(yaml);
    }

    private static final String HEAD = """
            apiVersion: external-secrets.io/v1
            kind: ExternalSecret
            metadata:
              name: netbox-db
              namespace: netbox
            """;

    @Test
    void dataEntryWithTheRotatedPropertyIsAnAffectedUse() {
        var uses = references.uses(resource(HEAD + """
                  annotations: {kms-secrets.io/store: akv-prod}
                spec:
                  secretStoreRef: {name: other, kind: SecretStore}
                  data:
                    - secretKey: password
                      remoteRef: {key: netbox-db, property: password}
                    - secretKey: user
                      remoteRef: {key: netbox-db, property: username}
                    - secretKey: api
                      remoteRef: {key: netbox-api}
                """), DB_PASSWORD, warnings);
        assertThat(uses).containsExactly(
                new ExternalSecretUse(ExternalSecretUse.DATA, "password", "password", true),
                new ExternalSecretUse(ExternalSecretUse.DATA, "user", "username", false));
        assertThat(warnings).isEmpty();
    }

    @Test
    void storeComesFromTheMappedEsoStoreAndEntrySourceRefOverridesIt() {
        var uses = references.uses(resource(HEAD + """
                spec:
                  secretStoreRef: {name: azure-store, kind: ClusterSecretStore}
                  data:
                    - secretKey: a
                      remoteRef: {key: netbox-db}
                    - secretKey: b
                      remoteRef: {key: netbox-db}
                      sourceRef: {storeRef: {name: vault-store, kind: SecretStore}}
                  dataFrom:
                    - extract: {key: netbox-db}
                """), DB_PASSWORD, warnings);
        assertThat(uses).containsExactly(new ExternalSecretUse(ExternalSecretUse.DATA, "a", null, true),
                new ExternalSecretUse(ExternalSecretUse.EXTRACT, null, null, true));
        assertThat(warnings).singleElement().asString().contains("netbox/netbox-db")
                .contains("cannot tell which kms-secrets store");
    }

    @Test
    void findMatchesByUnanchoredNamePatternAndEveryTag() {
        String spec = """
                spec:
                  secretStoreRef: {name: azure-store, kind: ClusterSecretStore}
                  dataFrom:
                    - find: %s
                """;
        assertThat(references.uses(resource(HEAD + spec.formatted("{name: {regexp: 'box-d'}}")), DB_PASSWORD,
                warnings)).containsExactly(new ExternalSecretUse(ExternalSecretUse.FIND, null, null, true));
        assertThat(references.uses(resource(HEAD + spec.formatted("{tags: {env: prod, team: netbox}}")),
                DB_PASSWORD, warnings)).hasSize(1);
        assertThat(references.uses(resource(HEAD + spec.formatted("{tags: {env: staging}}")), DB_PASSWORD,
                warnings)).isEmpty();
        assertThat(references.uses(resource(HEAD + spec.formatted("{name: {regexp: '^db'}}")), DB_PASSWORD,
                warnings)).isEmpty();
        assertThat(references.uses(resource(HEAD + spec.formatted("{path: other/}")), DB_PASSWORD, warnings))
                .isEmpty();
        assertThat(warnings).isEmpty();
    }

    @Test
    void anInvalidFindPatternIsAWarningNotAMatch() {
        var uses = references.uses(resource(HEAD + """
                  annotations: {kms-secrets.io/store: akv-prod}
                spec:
                  dataFrom:
                    - find: {name: {regexp: '(unclosed'}}
                """), DB_PASSWORD, warnings);
        assertThat(uses).isEmpty();
        assertThat(warnings).singleElement().asString().contains("'(unclosed' is not a valid pattern");
    }

    @Test
    void generatorsAndOtherStoresAreIgnored() {
        var uses = new ExternalSecretReferences(ExternalSecretReferences.StoreMapping.none()).uses(resource(HEAD + """
                  annotations: {kms-secrets.io/store: vault-onprem}
                spec:
                  data:
                    - secretKey: a
                      remoteRef: {key: netbox-db}
                  dataFrom:
                    - sourceRef: {generatorRef: {kind: Password, name: pw}}
                """), DB_PASSWORD, warnings);
        assertThat(uses).isEmpty();
        assertThat(warnings).isEmpty();
    }

    @Test
    void nestedPropertiesOverlapTheirParents() {
        assertThat(ExternalSecretReferences.overlaps("pool", "pool.max")).isTrue();
        assertThat(ExternalSecretReferences.overlaps("pool.max", "pool")).isTrue();
        assertThat(ExternalSecretReferences.overlaps("pool.max", "pool.min")).isFalse();
        assertThat(ExternalSecretReferences.overlaps("poolx", "pool")).isFalse();
        assertThat(ExternalSecretReferences.overlaps(null, "pool")).isTrue();
    }

    @Test
    void targetSecretDefaultsToTheExternalSecretName() {
        assertThat(ExternalSecretReferences.targetSecret(resource(HEAD + "spec: {}\n"))).isEqualTo("netbox-db");
        assertThat(ExternalSecretReferences.targetSecret(resource(HEAD + "spec: {target: {name: t}}\n")))
                .isEqualTo("t");
        assertThat(new EsoStoreRef("x", null).isClusterStore()).isFalse();
    }
}
