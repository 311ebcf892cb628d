package io.jenkins.plugins.kmssecrets.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A small client of Jenkins' HTTP API, authenticated with a user's API token (which needs no crumb): the script
 * console ({@code /scriptText}), item creation, builds and their console, JCasC's endpoints.
 */
public final class JenkinsClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public JenkinsClient(URI base, String user, String token) {
        String url = base.toString();
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + token)
                .getBytes(StandardCharsets.UTF_8));
    }

    public URI base() {
        return base;
    }

    /** A response: status, body, and the Location header if any. */
    public record Response(int status, String body, String location) {
        public boolean ok() {
            return status / 100 == 2 || status == 302 || status == 303;
        }
    }

    public Response get(String path) throws IOException {
        return send(HttpRequest.newBuilder(resolve(path)).GET());
    }

    public Response post(String path, String contentType, String body) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body, StandardCharsets.UTF_8));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return send(builder);
    }

    public Response postForm(String path, Map<String, String> form) throws IOException {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return post(path, "application/x-www-form-urlencoded", body);
    }

    private Response send(HttpRequest.Builder builder) throws IOException {
        HttpRequest request = builder.header("Authorization", authorization).timeout(Duration.ofMinutes(2)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.body(),
                    response.headers().firstValue("Location").orElse(null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private URI resolve(String path) {
        return base.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    /** Runs a Groovy script in the script console and returns what it printed; fails on an HTTP error. */
    public String script(String groovy) throws IOException {
        Response response = postForm("scriptText", Map.of("script", groovy));
        if (response.status() != 200) {
            throw new IOException("script console answered HTTP " + response.status() + ": " + abbreviate(response.body()));
        }
        return response.body();
    }

    /** Whether Jenkins answers {@code /api/json} with 200 (up and not restarting). */
    public boolean isUp() {
        try {
            return get("api/json?tree=mode").status() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits until Jenkins answers, at most {@code timeout}. */
    public boolean waitUntilUp(Duration timeout) throws InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            if (isUp()) {
                return true;
            }
            Thread.sleep(1000);
        }
        return false;
    }

    /** Waits until Jenkins stops answering (a restart has begun), at most {@code timeout}. */
    public boolean waitUntilDown(Duration timeout) throws InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            if (!isUp()) {
                return true;
            }
            Thread.sleep(500);
        }
        return false;
    }

    public String version() throws IOException {
        HttpRequest request = HttpRequest.newBuilder(resolve("api/json?tree=mode")).header("Authorization", authorization)
                .GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).headers().firstValue("X-Jenkins")
                    .orElse("unknown");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Creates or replaces the pipeline job {@code name} with {@code config} (a job config.xml). */
    public void putJob(String name, String config) throws IOException {
        String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8);
        Response exists = get("job/" + encoded + "/api/json?tree=name");
        Response response = exists.status() == 200
                ? post("job/" + encoded + "/config.xml", "application/xml; charset=UTF-8", config)
                : post("createItem?name=" + encoded, "application/xml; charset=UTF-8", config);
        if (!response.ok()) {
            throw new IOException("saving job " + name + " answered HTTP " + response.status() + ": "
                    + abbreviate(response.body()));
        }
    }

    /** Schedules a build of {@code job} and returns its number once it has left the queue. */
    public int build(String job, Duration timeout) throws IOException, InterruptedException {
        String encoded = URLEncoder.encode(job, StandardCharsets.UTF_8);
        Response response = post("job/" + encoded + "/build?delay=0sec", null, "");
        if (response.status() != 201 || response.location() == null) {
            throw new IOException("scheduling " + job + " answered HTTP " + response.status());
        }
        return buildNumber(job, URI.create(response.location()).getPath(), timeout);
    }

    /**
     * Queues a build of a parameterized job with {@code parameters} (distinct parameters keep Jenkins from folding
     * concurrent requests into one build) and returns its queue item's path, for {@link #buildNumber}.
     */
    public String queueWithParameters(String job, Map<String, String> parameters) throws IOException {
        String query = parameters.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        Response response = post("job/" + URLEncoder.encode(job, StandardCharsets.UTF_8)
                + "/buildWithParameters?delay=0sec&" + query, null, "");
        if (response.status() != 201 || response.location() == null) {
            throw new IOException("scheduling " + job + " answered HTTP " + response.status());
        }
        return URI.create(response.location()).getPath();
    }

    /** The number of the build that the queue item {@code queue} became, once it started. */
    public int buildNumber(String job, String queue, Duration timeout) throws IOException, InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            Response item = get(queue.replaceFirst("^.*?/queue/", "queue/") + "api/json");
            if (item.status() == 200) {
                JsonNode tree = JSON.readTree(item.body());
                if (tree.path("executable").has("number")) {
                    return tree.path("executable").path("number").asInt();
                }
                if (tree.path("cancelled").asBoolean(false)) {
                    throw new IOException("build of " + job + " was cancelled in the queue");
                }
            }
            Thread.sleep(500);
        }
        throw new IOException("build of " + job + " did not start within " + timeout.toSeconds() + " s");
    }

    /** The build's JSON ({@code result}, {@code building}, {@code duration}), or null if it cannot be read now. */
    public JsonNode buildInfo(String job, int number) throws IOException {
        Response response = get("job/" + URLEncoder.encode(job, StandardCharsets.UTF_8) + "/" + number
                + "/api/json?tree=result,building,duration,number,actions[_class,secrets[variable,store,name,version],"
                + "totalCount,failCount,skipCount]");
        return response.status() == 200 ? JSON.readTree(response.body()) : null;
    }

    /** The build's whole console text. */
    public String console(String job, int number) throws IOException {
        Response response = get("job/" + URLEncoder.encode(job, StandardCharsets.UTF_8) + "/" + number + "/consoleText");
        if (response.status() != 200) {
            throw new IOException("console of " + job + " #" + number + " answered HTTP " + response.status());
        }
        return response.body();
    }

    static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        String oneLine = text.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 400 ? oneLine.substring(0, 400) + "..." : oneLine;
    }
}
