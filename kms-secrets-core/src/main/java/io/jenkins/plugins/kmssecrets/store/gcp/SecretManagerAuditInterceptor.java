package io.jenkins.plugins.kmssecrets.store.gcp;

import com.google.api.gax.httpjson.ApiMethodDescriptor;
import com.google.api.gax.httpjson.ForwardingHttpJsonClientCall;
import com.google.api.gax.httpjson.HttpJsonCallOptions;
import com.google.api.gax.httpjson.HttpJsonChannel;
import com.google.api.gax.httpjson.HttpJsonClientCall;
import com.google.api.gax.httpjson.HttpJsonClientInterceptor;
import com.google.api.gax.httpjson.HttpJsonMetadata;
import io.jenkins.plugins.kmssecrets.audit.AuditContext;
import java.util.List;
import java.util.Map;

/**
 * Labels each Secret Manager call with the caller's {@link AuditContext}, captured when the call is created (on the
 * caller's thread: the HTTP request itself is sent from the transport's executor, where the caller's context is not
 * current): {@code User-Agent: kms-secrets/<version> (<tool>; <context>)} (the HTTP library appends its own product
 * token), which Cloud Audit Logs record as {@code requestMetadata.callerSuppliedUserAgent}, and
 * {@code X-Goog-Request-Reason: <tool>; <context>; <correlation id>}, the system parameter Google APIs record as
 * {@code requestMetadata.requestAttributes.reason}. The client's {@code x-goog-api-client} header is left as the
 * library sets it.
 */
final class SecretManagerAuditInterceptor implements HttpJsonClientInterceptor {

    /** The request-reason header (a Google API system parameter). */
    static final String REQUEST_REASON = "x-goog-request-reason";

    @Override
    public <ReqT, RespT> HttpJsonClientCall<ReqT, RespT> interceptCall(ApiMethodDescriptor<ReqT, RespT> method,
            HttpJsonCallOptions callOptions, HttpJsonChannel next) {
        AuditContext audit = AuditContext.current();
        Map<String, List<String>> headers = Map.of(
                "user-agent", List.of(audit.userAgent()),
                REQUEST_REASON, List.of(reason(audit)));
        return new ForwardingHttpJsonClientCall.SimpleForwardingHttpJsonClientCall<>(
                next.newCall(method, callOptions)) {
            @Override
            public void start(Listener<RespT> listener, HttpJsonMetadata requestHeaders) {
                super.start(listener, requestHeaders.withHeaders(headers));
            }
        };
    }

    /** {@code <tool>; <context>; <correlation id>}, the last part only when there is one. */
    static String reason(AuditContext audit) {
        return audit.tool().wireName() + "; " + audit.context()
                + (audit.correlationId() == null ? "" : "; " + audit.correlationId());
    }
}
