package io.jenkins.plugins.kmssecrets.eso;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the ExternalSecret schema comes from: the built-in copy (derived from the ESO v2.9.0 CRD, shipped in this
 * jar so validation works offline) or the CRD installed in a cluster (so version-gated fields are judged by the ESO
 * actually running).
 *
 * @since 0.1.0
 */
public final class ExternalSecretSchemas {

    /** The ESO release the built-in schema was derived from. */
    public static final String BUILT_IN_ESO_VERSION = "v2.9.0";

    private static final String RESOURCE = "externalsecret-v1.schema.json";
    private static volatile CrdSchema builtIn;

    private ExternalSecretSchemas() {
    }

    /** The built-in v1 schema. */
    public static CrdSchema builtIn() {
        CrdSchema schema = builtIn;
        if (schema == null) {
            try (InputStream in = ExternalSecretSchemas.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is missing from the jar");
                }
                Map<String, Object> map = new ObjectMapper().readValue(in, new TypeReference<LinkedHashMap<String, Object>>() {
                });
                map.remove("$comment");
                schema = new CrdSchema(map, "built-in schema (ESO " + BUILT_IN_ESO_VERSION + ")");
                builtIn = schema;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the built-in ExternalSecret schema", e);
            }
        }
        return schema;
    }

    /**
     * The {@code v1} schema of an ExternalSecret CRD given as nested maps (a CustomResourceDefinition).
     *
     * @throws InvalidInputException when the CRD has no {@code v1} version with a schema
     */
    @SuppressWarnings("unchecked")
    public static CrdSchema fromCrd(Map<String, Object> crd, String origin) {
        Object spec = crd.get("spec");
        if (spec instanceof Map<?, ?> specMap && specMap.get("versions") instanceof List<?> versions) {
            for (Object version : versions) {
                if (version instanceof Map<?, ?> v && "v1".equals(v.get("name"))
                        && v.get("schema") instanceof Map<?, ?> schema
                        && schema.get("openAPIV3Schema") instanceof Map<?, ?> openApi) {
                    return new CrdSchema((Map<String, Object>) openApi, origin);
                }
            }
        }
        throw new InvalidInputException(null, null, origin + ": the ExternalSecret CRD has no v1 version with an "
                + "openAPIV3Schema; upgrade External Secrets Operator");
    }
}
