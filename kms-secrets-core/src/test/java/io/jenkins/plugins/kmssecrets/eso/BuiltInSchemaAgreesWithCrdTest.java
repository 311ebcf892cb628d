package io.jenkins.plugins.kmssecrets.eso;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The schema shipped in the jar is the testdata CRD's v1 schema, minus descriptions, and judges alike. */
class BuiltInSchemaAgreesWithCrdTest {

    private static final Map<String, Map<String, Object>> CRDS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The CRD, parsed once per JVM (the store CRDs are 690 kB); callers must not modify it. */
    static Map<String, Object> crd(String file) throws IOException {
        Map<String, Object> cached = CRDS.get(file);
        if (cached == null) {
            cached = freshCrd(file);
            CRDS.put(file, cached);
        }
        return cached;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> freshCrd(String file) throws IOException {
        return (Map<String, Object>) new Yaml().load(Files.readString(TestData.path("eso/crds/" + file)));
    }

    static Object withoutDescriptions(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                if (!"description".equals(k)) {
                    copy.put(String.valueOf(k), withoutDescriptions(v));
                }
            });
            return copy;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(BuiltInSchemaAgreesWithCrdTest::withoutDescriptions).toList();
        }
        return node;
    }

    @Test
    void builtInSchemaEqualsTheTestdataCrdV1SchemaWithoutDescriptions() throws IOException {
        CrdSchema fromCrd = ExternalSecretSchemas.fromCrd(crd("external-secrets.io_externalsecrets.yaml"), "testdata");

        assertThat(ExternalSecretSchemas.builtIn().schema()).isEqualTo(withoutDescriptions(fromCrd.schema()));
    }

    @Test
    void builtInAndCrdSchemasReportTheSameProblems() throws IOException {
        ExternalSecretValidator fromCrd = new ExternalSecretValidator(ExternalSecretSchemas.fromCrd(
                crd("external-secrets.io_externalsecrets.yaml"), "testdata"), null);
        for (String fixture : List.of("valid.yaml", "schema-wrong-type.yaml", "schema-bad-enum.yaml",
                "schema-missing-required.yaml", "schema-bad-pattern.yaml", "schema-unknown-field.yaml",
                "schema-max-properties.yaml", "many-problems.yaml")) {
            String text = ExternalSecretValidatorTest.fixture(fixture);

            assertThat(fromCrd.validate(text, fixture).problems()).as(fixture)
                    .isEqualTo(ExternalSecretValidator.builtIn().validate(text, fixture).problems());
        }
    }

    @Test
    void crdWithoutV1IsRejected() throws IOException {
        Map<String, Object> crd = freshCrd("external-secrets.io_externalsecrets.yaml");
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) crd.get("spec");
        spec.put("versions", ((List<?>) spec.get("versions")).stream()
                .filter(v -> !"v1".equals(((Map<?, ?>) v).get("name"))).toList());

        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ExternalSecretSchemas.fromCrd(crd, "old")))
                .hasMessage("old: the ExternalSecret CRD has no v1 version with an openAPIV3Schema; upgrade "
                        + "External Secrets Operator");
    }
}
