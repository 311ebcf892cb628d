package io.jenkins.plugins.kmssecrets.store.vault;

import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Vault secret paths: validation and per-segment URL encoding. */
final class VaultPaths {

    private VaultPaths() {
    }

    static String trimSlashes(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(start, end);
    }

    /**
     * Checks that {@code name} is a key path ({@code apps/netbox}): non-empty segments separated by single
     * slashes, no {@code .} or {@code ..}, no control characters.
     */
    static String check(String storeId, String name) {
        if (name.isEmpty() || name.startsWith("/") || name.endsWith("/")) {
            throw invalid(storeId, name);
        }
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw invalid(storeId, name);
            }
            for (int i = 0; i < segment.length(); i++) {
                if (Character.isISOControl(segment.charAt(i))) {
                    throw invalid(storeId, name);
                }
            }
        }
        return name;
    }

    /** Each segment URL-encoded, slashes kept. */
    static String encode(String path) {
        if (path.isEmpty()) {
            return path;
        }
        StringBuilder out = new StringBuilder();
        for (String segment : path.split("/", -1)) {
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return out.toString();
    }

    private static InvalidInputException invalid(String storeId, String name) {
        return new InvalidInputException(storeId, name, "not a Vault key path: expected segments separated by "
                + "single '/', without '.', '..' or a leading or trailing '/'");
    }
}
