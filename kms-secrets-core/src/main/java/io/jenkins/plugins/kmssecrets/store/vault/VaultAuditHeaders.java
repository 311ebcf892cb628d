package io.jenkins.plugins.kmssecrets.store.vault;

import io.jenkins.plugins.kmssecrets.audit.AuditContext;
import java.net.http.HttpRequest;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The audit headers of every Vault request, from the caller's {@link AuditContext} (read on the calling thread when the
 * request is built): {@code User-Agent: kms-secrets/<version> (<tool>; <context>)}, {@code X-Vault-Request: true} (what
 * Vault's own clients send), and the audit header ({@value #DEFAULT_NAME} unless the {@code auditHeader} setting names
 * another) with {@code <tool>; <context>; <correlation id>}. Vault's audit devices record a request header only when
 * it is listed in {@code sys/config/auditing/request-headers} (see docs/audit.md).
 */
final class VaultAuditHeaders {

    /** The default name of the audit header. */
    static final String DEFAULT_NAME = "X-Kms-Secrets-Context";

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,63}");
    /** Headers Vault, HTTP or the JDK client give a meaning to; the audit header must not replace one. */
    private static final Set<String> RESERVED = Set.of("x-vault-token", "x-vault-namespace", "x-vault-request",
            "x-vault-wrap-ttl", "x-vault-index", "x-vault-inconsistent", "x-vault-forward", "x-vault-mfa",
            "x-vault-policy-override", "authorization", "user-agent", "accept", "content-type", "content-length",
            "host", "connection", "expect", "upgrade");

    private final String name;

    /**
     * @param name the audit header's name, or {@code null} for {@value #DEFAULT_NAME}
     * @throws IllegalArgumentException when it is not a plain header name or names a reserved header
     */
    VaultAuditHeaders(String name) {
        String chosen = name == null ? DEFAULT_NAME : name.trim();
        if (!TOKEN.matcher(chosen).matches() || RESERVED.contains(chosen.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("'" + chosen + "' is not usable as the audit header: use letters, "
                    + "digits and dashes (for example " + DEFAULT_NAME + "), not a header Vault or HTTP uses");
        }
        this.name = chosen;
    }

    /** The audit header's name. */
    String name() {
        return name;
    }

    /** Adds the headers for the calling thread's context. */
    HttpRequest.Builder apply(HttpRequest.Builder request) {
        AuditContext audit = AuditContext.current();
        request.header("User-Agent", audit.userAgent()).header("X-Vault-Request", "true");
        return request.header(name, value(audit));
    }

    /** {@code <tool>; <context>; <correlation id>}, the last part only when there is one. */
    static String value(AuditContext audit) {
        return audit.tool().wireName() + "; " + audit.context()
                + (audit.correlationId() == null ? "" : "; " + audit.correlationId());
    }
}
