package io.jenkins.plugins.kmssecrets.rotation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.jenkins.plugins.kmssecrets.k8s.KubernetesOperationException;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Compares one key of a Kubernetes Secret with an expected value without printing or keeping either: the key is
 * decoded straight from the response into a byte array, hashed with SHA-256 and wiped, and the digest is compared in
 * constant time with the digest of the expected value. Nothing else of the Secret is decoded.
 *
 * <p>Needs {@code get} on {@code secrets} in the namespace.
 *
 * @since 0.2.0
 */
public final class SecretKeyDigest {

    /** What the Secret holds under the key. */
    public enum Outcome {
        /** The key holds the expected value. */
        MATCHES,
        /** The key holds another value (still the old one). */
        DIFFERS,
        /** The Secret exists without the key. */
        NO_KEY,
        /** The Secret does not exist. */
        NO_SECRET
    }

    private final KubernetesClient client;
    private final Duration timeout;

    public SecretKeyDigest(KubernetesClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    /** SHA-256 of {@code value}; the caller wipes {@code value}. */
    public static byte[] sha256(byte[] value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Whether {@code namespace/secret}'s {@code key} holds the value whose SHA-256 is {@code expected}. */
    public Outcome compare(String namespace, String secret, String key, byte[] expected) {
        String base = client.getConfiguration().getMasterUrl();
        String url = (base.endsWith("/") ? base : base + "/") + "api/v1/namespaces/" + encode(namespace)
                + "/secrets/" + encode(secret);
        HttpClient http = client.getHttpClient();
        HttpRequest request = http.newHttpRequestBuilder().uri(url).setHeader("Accept", "application/json").build();
        byte[] body = null;
        try {
            HttpResponse<byte[]> response = http.sendAsync(request, byte[].class)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            body = response.body();
            if (response.code() == 404) {
                return Outcome.NO_SECRET;
            }
            if (response.code() / 100 != 2) {
                throw new KubernetesOperationException("reading Secret " + namespace + "/" + secret
                        + " failed with HTTP " + response.code());
            }
            return digestOf(body, key, expected);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesOperationException("interrupted while reading Secret " + namespace + "/" + secret);
        } catch (ExecutionException | TimeoutException | IOException e) {
            throw new KubernetesOperationException("cannot read Secret " + namespace + "/" + secret + " ("
                    + e.getClass().getSimpleName() + ")");
        } finally {
            if (body != null) {
                Arrays.fill(body, (byte) 0);
            }
        }
    }

    private static Outcome digestOf(byte[] body, String key, byte[] expected) throws IOException {
        try (JsonParser parser = new JsonFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Outcome.NO_KEY;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken token = parser.nextToken();
                if (!"data".equals(field) || token != JsonToken.START_OBJECT) {
                    parser.skipChildren();
                    continue;
                }
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    JsonToken valueToken = parser.nextToken();
                    if (!key.equals(name) || valueToken != JsonToken.VALUE_STRING) {
                        parser.skipChildren();
                        continue;
                    }
                    byte[] value = parser.getBinaryValue();
                    try {
                        return MessageDigest.isEqual(sha256(value), expected) ? Outcome.MATCHES : Outcome.DIFFERS;
                    } finally {
                        Arrays.fill(value, (byte) 0);
                    }
                }
                return Outcome.NO_KEY;
            }
        }
        return Outcome.NO_KEY;
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }
}
