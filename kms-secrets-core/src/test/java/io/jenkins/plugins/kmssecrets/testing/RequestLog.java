package io.jenkins.plugins.kmssecrets.testing;

import com.sun.net.httpserver.HttpExchange;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The requests a fake server received, in arrival order, with their headers as sent on the wire (names lower-cased),
 * so tests can assert what a real client put in them (audit headers, and that no value is among them).
 */
public final class RequestLog {

    /** One request: method, path (with query) and headers. */
    public record Request(String method, String path, Map<String, List<String>> headers) {

        /** The first value of {@code name} (any case), or {@code null}. */
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    private final List<Request> requests = new ArrayList<>();

    /** Records an exchange of the JDK's HTTP server. */
    public void record(HttpExchange exchange) {
        Map<String, List<String>> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        record(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers);
    }

    /** Records a request of any other server (headers as given; names are lower-cased here). */
    public synchronized void record(String method, String path, Map<String, List<String>> headers) {
        Map<String, List<String>> lower = new TreeMap<>();
        headers.forEach((name, values) -> lower.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        requests.add(new Request(method, path, Map.copyOf(lower)));
    }

    /** Every request so far. */
    public synchronized List<Request> all() {
        return List.copyOf(requests);
    }

    /** Forgets the requests so far. */
    public synchronized void clear() {
        requests.clear();
    }
}
