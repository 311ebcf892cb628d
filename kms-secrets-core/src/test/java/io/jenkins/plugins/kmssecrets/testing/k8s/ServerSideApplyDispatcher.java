package io.jenkins.plugins.kmssecrets.testing.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.jenkins.plugins.kmssecrets.testing.RequestLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * fabric8's CRUD dispatcher plus the parts of the API server protocol it lacks and ESO sync needs: server-side
 * apply ({@code PATCH} with {@code application/apply-patch+yaml}: create when absent, merge when present) and
 * {@code dryRun=All} (judged, never stored). It also records what the tests assert on: dry-run applies, applies, and
 * the Accept header of every Secret read.
 */
final class ServerSideApplyDispatcher extends KubernetesCrudDispatcher {

    private static final ObjectMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    final AtomicInteger applies = new AtomicInteger();
    final AtomicInteger dryRunApplies = new AtomicInteger();
    final List<String> secretReadAcceptHeaders = new CopyOnWriteArrayList<>();
    final List<String> dryRunRejections = new CopyOnWriteArrayList<>();
    /** Requests that asked for HTTP/2 (an h2c upgrade) or arrived over it. */
    final AtomicInteger http2Requests = new AtomicInteger();
    /** Every request, with its headers. */
    final RequestLog requests = new RequestLog();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath();
        requests.record(request.getMethod(), path, request.getHeaders().toMultimap());
        if (request.getHeader("Upgrade") != null || !String.valueOf(request.getRequestLine()).endsWith("HTTP/1.1")) {
            http2Requests.incrementAndGet();
        }
        if ("GET".equals(request.getMethod()) && path.contains("/secrets/")) {
            secretReadAcceptHeaders.add(String.valueOf(request.getHeader("Accept")));
        }
        String contentType = request.getHeader("Content-Type");
        if ("PATCH".equals(request.getMethod()) && contentType != null && contentType.contains("apply-patch")) {
            return apply(request);
        }
        return super.dispatch(request);
    }

    private MockResponse apply(RecordedRequest request) {
        String path = request.getPath();
        int query = path.indexOf('?');
        String resourcePath = query < 0 ? path : path.substring(0, query);
        String json;
        JsonNode body;
        try {
            body = YAML.readTree(request.getUtf8Body());
            json = JSON.writeValueAsString(body);
        } catch (IOException e) {
            return new MockResponse().setResponseCode(400).setBody("{\"kind\":\"Status\",\"message\":\"bad body\"}");
        }
        boolean exists = super.handleGet(resourcePath).code() == 200;
        if (query >= 0 && path.substring(query).contains("dryRun=All")) {
            dryRunApplies.incrementAndGet();
            String rejection = body.path("metadata").path("annotations").path("test.kms-secrets.io/reject").asText(null);
            if (rejection != null) {
                dryRunRejections.add(rejection);
                return new MockResponse().setResponseCode(422).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                        + "\"status\":\"Failure\",\"reason\":\"Invalid\",\"code\":422,\"message\":\"admission webhook "
                        + "\\\"validate.externalsecret.external-secrets.io\\\" denied the request: " + rejection
                        + "\"}");
            }
            return new MockResponse().setResponseCode(exists ? 200 : 201).setBody(json);
        }
        applies.incrementAndGet();
        Buffer buffer = new Buffer(json.getBytes(StandardCharsets.UTF_8));
        if (exists) {
            Headers headers = Headers.builder().add("Content-Type", "application/merge-patch+json").build();
            return super.handlePatch(new RecordedRequest("HTTP/1.1", HttpMethod.PATCH, resourcePath, headers, buffer));
        }
        String collection = resourcePath.substring(0, resourcePath.lastIndexOf('/'));
        Headers headers = Headers.builder().add("Content-Type", "application/json").build();
        return super.handleCreate(new RecordedRequest("HTTP/1.1", HttpMethod.POST, collection, headers, buffer));
    }
}
