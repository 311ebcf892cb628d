package io.jenkins.plugins.kmssecrets.k8s;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads only the metadata of a Kubernetes Secret. The request asks the API server for a
 * {@code PartialObjectMetadata} (so a real server never sends {@code data}), and the response is read with a
 * streaming parser that keeps the {@code metadata} object and skips everything else, so no Secret value is ever
 * materialised as an object, string or log line here.
 *
 * @since 0.1.0
 */
public final class SecretMetadataReader {

    /** The Accept header for metadata-only reads. */
    public static final String PARTIAL_METADATA = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1";

    /**
     * What was found.
     *
     * @param exists whether the Secret exists
     * @param labels its labels, sorted
     */
    public record SecretMetadata(boolean exists, Map<String, String> labels) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final KubernetesClient client;
    private final Duration timeout;

    public SecretMetadataReader(KubernetesClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    /** The metadata of Secret {@code namespace/name}. */
    public SecretMetadata read(String namespace, String name) {
        String base = client.getConfiguration().getMasterUrl();
        String url = (base.endsWith("/") ? base : base + "/") + "api/v1/namespaces/" + encode(namespace)
                + "/secrets/" + encode(name);
        HttpClient http = client.getHttpClient();
        HttpRequest request = http.newHttpRequestBuilder().uri(url).setHeader("Accept", PARTIAL_METADATA).build();
        byte[] body = null;
        try {
            HttpResponse<byte[]> response = http.sendAsync(request, byte[].class)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            body = response.body();
            if (response.code() == 404) {
                return new SecretMetadata(false, Map.of());
            }
            if (response.code() / 100 != 2) {
                throw new KubernetesOperationException("reading the metadata of Secret " + namespace + "/" + name
                        + " failed with HTTP " + response.code());
            }
            return new SecretMetadata(true, labels(body));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesOperationException("interrupted while reading Secret " + namespace + "/" + name);
        } catch (ExecutionException | TimeoutException | IOException e) {
            throw new KubernetesOperationException("cannot read the metadata of Secret " + namespace + "/" + name
                    + " (" + e.getClass().getSimpleName() + ")");
        } finally {
            if (body != null) {
                Arrays.fill(body, (byte) 0);
            }
        }
    }

    private static Map<String, String> labels(byte[] body) throws IOException {
        Map<String, String> labels = new TreeMap<>();
        try (JsonParser parser = new JsonFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return labels;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if ("metadata".equals(field)) {
                    JsonNode metadata = MAPPER.readTree(parser);
                    metadata.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
                } else {
                    parser.skipChildren();
                }
            }
        }
        return labels;
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }
}
