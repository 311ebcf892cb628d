package io.jenkins.plugins.kmssecrets.store.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed Vault answer. The body may hold secret data, so it is never printed; only the fixed phrases of
 * {@link #errors()} are ever inspected to explain a failure.
 */
record VaultResponse(int status, JsonNode body) {

    VaultResponse {
        body = body == null ? MissingNode.getInstance() : body;
    }

    boolean ok() {
        return status >= 200 && status < 300;
    }

    /** Vault's {@code errors} array ({@code {"errors":["permission denied"]}}); empty when absent. */
    List<String> errors() {
        List<String> out = new ArrayList<>();
        for (JsonNode error : body.path("errors")) {
            out.add(error.asText());
        }
        return out;
    }

    boolean sealed() {
        return status == 503 && errors().stream().anyMatch(e -> e.contains("Vault is sealed"));
    }

    @Override
    public String toString() {
        return "VaultResponse[" + status + "]";
    }
}
