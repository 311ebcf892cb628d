package io.jenkins.plugins.kmssecrets.store.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.microsoft.aad.msal4j.MsalServiceException;
import io.jenkins.plugins.kmssecrets.store.ConnectionFailure;
import io.jenkins.plugins.kmssecrets.store.UntrustedCertificate;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import reactor.core.publisher.Mono;

/**
 * The one credential of a store, bounded in time and with failures named: every token request either returns within
 * {@code signInTimeout} or fails with a {@link SignInFailure} that says which auth mode, which client or identity id
 * and which endpoint was tried, and the authority's own error code ({@code AADSTS…}) or the identity endpoint's HTTP
 * status. The identity library's messages are never passed on: they are not ours to vouch for.
 */
final class SignInCredential implements TokenCredential {

    private static final Pattern AADSTS = Pattern.compile("AADSTS\\d{4,8}");

    private final TokenCredential delegate;
    private final String subject;
    private final String endpoint;
    private final Duration timeout;
    private final IntSupplier lastStatus;
    private final Supplier<String> lastFailure;
    private final Supplier<Throwable> lastUntrusted;

    /**
     * @param delegate the credential of the auth mode
     * @param subject  {@code auth 'clientSecret', client id '…'}: who signs in
     * @param endpoint what is asked for the token (a URL, or {@code az account get-access-token})
     * @param timeout  the bound on one token request
     */
    SignInCredential(TokenCredential delegate, String subject, String endpoint, Duration timeout) {
        this(delegate, subject, endpoint, timeout, () -> 0, () -> null, () -> null);
    }

    /**
     * @param lastStatus  the HTTP status of the endpoint's latest answer, or 0, for failures that do not carry it
     * @param lastFailure how the latest request to the endpoint failed, or {@code null}, for timeouts
     */
    SignInCredential(TokenCredential delegate, String subject, String endpoint, Duration timeout,
            IntSupplier lastStatus, Supplier<String> lastFailure) {
        this(delegate, subject, endpoint, timeout, lastStatus, lastFailure, () -> null);
    }

    /**
     * @param lastUntrusted the latest request's failure when the endpoint's certificate was rejected, or {@code null}:
     *                      such a sign-in failure keeps it as its cause, for the store's "not trusted" error
     */
    SignInCredential(TokenCredential delegate, String subject, String endpoint, Duration timeout,
            IntSupplier lastStatus, Supplier<String> lastFailure, Supplier<Throwable> lastUntrusted) {
        this.lastUntrusted = lastUntrusted;
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.subject = subject;
        this.endpoint = endpoint;
        this.timeout = timeout;
        this.lastStatus = lastStatus;
        this.lastFailure = lastFailure;
    }

    @Override
    public Mono<AccessToken> getToken(TokenRequestContext request) {
        return Mono.defer(() -> delegate.getToken(request))
                .timeout(timeout)
                .onErrorMap(this::failure);
    }

    @Override
    public AccessToken getTokenSync(TokenRequestContext request) {
        return getToken(request).block();
    }

    /** The delegate's failure as a sign-in failure with identifiers only. */
    SignInFailure failure(Throwable e) {
        if (e instanceof SignInFailure own) {
            return new SignInFailure("sign-in (" + subject + ") failed: " + own.getMessage());
        }
        if (lastStatus.getAsInt() == 407) {
            // The proxy refused the tunnel; the identity library fails on the empty answer in its own way.
            return new SignInFailure("sign-in (" + subject + ") cannot reach " + endpoint + ": the proxy answered "
                    + "HTTP 407 (proxy authentication required); check proxyUser and its password; Basic proxy "
                    + "authentication for https needs the JVM option -Djdk.http.auth.tunneling.disabledSchemes= (empty)");
        }
        Throwable untrusted = UntrustedCertificate.isCause(e) ? e : lastUntrusted.get();
        if (untrusted != null) {
            return new SignInFailure("sign-in (" + subject + ") cannot reach " + endpoint
                    + " (its certificate was rejected)", untrusted);
        }
        if (hasCause(e, TimeoutException.class) && !hasCause(e, IOException.class)) {
            String last = lastFailure.get();
            return new SignInFailure("sign-in (" + subject + ") got no token from " + endpoint + " within "
                    + seconds(timeout) + " (setting 'signInTimeout')" + (last == null ? "" : "; last attempt: " + last)
                    + "; check that the endpoint exists here and answers");
        }
        String otherTenant = otherTenant(e);
        if (otherTenant != null) {
            return new SignInFailure("sign-in (" + subject + ") refused: the vault belongs to tenant '" + otherTenant
                    + "', not to the tenant the credential signs in to; set 'tenantId' to the vault's tenant");
        }
        MsalServiceException service = cause(e, MsalServiceException.class);
        String code = code(e);
        if (service != null || code != null) {
            StringJoiner reason = new StringJoiner(" ");
            if (code != null) {
                reason.add(code);
            }
            if (service != null && service.errorCode() != null && !service.errorCode().isBlank()) {
                reason.add(safe(service.errorCode()));
            }
            if (service != null && service.statusCode() != null && service.statusCode() > 0) {
                reason.add("(HTTP " + service.statusCode() + ")");
            } else if (lastStatus.getAsInt() >= 400) {
                reason.add("(HTTP " + lastStatus.getAsInt() + ")");
            }
            return new SignInFailure("sign-in (" + subject + ") was refused by " + endpoint + ": " + reason
                    + hint(code));
        }
        if (hasCause(e, UnknownHostException.class) || hasCause(e, ConnectException.class)
                || hasCause(e, HttpTimeoutException.class) || hasCause(e, SSLException.class)) {
            return new SignInFailure("sign-in (" + subject + ") cannot reach " + endpoint + " ("
                    + ConnectionFailure.describe(e) + ")");
        }
        Integer status = status(e);
        if (status != null) {
            return new SignInFailure("sign-in (" + subject + ") failed: " + endpoint + " answered HTTP " + status);
        }
        return new SignInFailure("sign-in (" + subject + ") failed at " + endpoint + " (" + rootKind(e) + ")");
    }

    private static String hint(String code) {
        if (code == null) {
            return "";
        }
        return switch (code) {
            case "AADSTS7000215", "AADSTS7000222" -> "; the client secret is wrong or expired";
            case "AADSTS700016" -> "; no application with this client id in the tenant";
            case "AADSTS90002", "AADSTS900023" -> "; the tenant does not exist (check tenantId)";
            case "AADSTS700024", "AADSTS700211", "AADSTS70021", "AADSTS700213" ->
                    "; the federated credential does not match this token (issuer, subject or audience)";
            default -> "";
        };
    }

    /** Error identifiers are letters, digits and {@code _-.}; anything else is left out. */
    private static String safe(String code) {
        return code.matches("[A-Za-z0-9_.-]{1,64}") ? code : "error";
    }

    // azure-identity refuses a challenge naming another tenant than the credential's (the vault's tenant differs).
    private static final Pattern OTHER_TENANT = Pattern.compile(
            "not configured to acquire tokens for tenant ([A-Za-z0-9-]{1,64}(?:\\.[A-Za-z0-9-]{1,64}){0,4})");

    private static String otherTenant(Throwable e) {
        for (Throwable t : chain(e)) {
            if (t.getMessage() != null) {
                Matcher m = OTHER_TENANT.matcher(t.getMessage());
                if (m.find()) {
                    return m.group(1);
                }
            }
        }
        return null;
    }

    private static String code(Throwable e) {
        for (Throwable t : chain(e)) {
            if (t.getMessage() != null) {
                Matcher m = AADSTS.matcher(t.getMessage());
                if (m.find()) {
                    return m.group();
                }
            }
        }
        return null;
    }

    // The identity library reports an identity endpoint's answer as "... status code 400 ..." or "(status 400)".
    private static final Pattern STATUS = Pattern.compile("(?i)status(?: code)?[: ]+([1-5]\\d\\d)\\b");

    private static Integer status(Throwable e) {
        for (Throwable t : chain(e)) {
            if (t.getMessage() != null) {
                Matcher m = STATUS.matcher(t.getMessage());
                if (m.find()) {
                    return Integer.valueOf(m.group(1));
                }
            }
        }
        return null;
    }

    static String seconds(Duration duration) {
        long ms = duration.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    private static Iterable<Throwable> chain(Throwable e) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            for (Throwable s : t.getSuppressed()) {
                seen.add(s);
            }
        }
        return seen;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        return cause(e, type) != null;
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t : chain(e)) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String rootKind(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }

    @Override
    public String toString() {
        return "SignInCredential[" + subject + ", " + endpoint + "]";
    }
}
