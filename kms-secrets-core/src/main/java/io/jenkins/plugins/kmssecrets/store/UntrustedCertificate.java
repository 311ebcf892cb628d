package io.jenkins.plugins.kmssecrets.store;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Recognises a TLS failure caused by the server's certificate: not issued by a trusted CA (the trust store lacks the
 * CA, as with a private CA or an intercepting proxy), or not valid for the host. That is a configuration error, not an
 * outage: retrying cannot help, so stores report it as a {@link MisconfiguredException} (exit code 2 in the CLI),
 * naming the endpoint and the setting that supplies the CA, and do not retry.
 *
 * @since 0.2.0
 */
public final class UntrustedCertificate {

    /** What to set when the store has no CA setting of its own: the JVM's trust store. */
    public static final String JVM_TRUST_STORE = "the JVM trust store (-Djavax.net.ssl.trustStore=…, for example "
            + "through JAVA_TOOL_OPTIONS)";

    private UntrustedCertificate() {
    }

    /** {@code scheme://host[:port]} of {@code url}: the endpoint whose certificate is named. */
    public static String origin(java.net.URI url) {
        return url.getScheme() + "://" + url.getRawAuthority();
    }

    /** Whether {@code failure} (or a cause of it) is the JDK rejecting a server certificate. */
    public static boolean isCause(Throwable failure) {
        return kind(failure) != null;
    }

    /**
     * The configuration error for {@code failure}, which {@link #isCause} accepted.
     *
     * @param endpoint the URL whose certificate was rejected ({@code https://host:port})
     * @param remedy   the setting that supplies the CA, such as {@code "caCertFile"}, or {@link #JVM_TRUST_STORE}
     */
    public static MisconfiguredException misconfigured(String storeId, String secretName, String endpoint,
            String remedy, Throwable failure) {
        String kind = kind(failure);
        String what = "trust".equals(kind)
                ? "the certificate of " + endpoint + " is not trusted (no trusted CA issued it)"
                : "the certificate of " + endpoint + " was rejected (" + kind + "; it may not be issued for this "
                        + "host name)";
        return new MisconfiguredException(storeId, secretName, what + "; set " + remedy
                + " to the CA certificate that issued it; not retried");
    }

    /** {@code "trust"} for a certificate path failure, the exception type for other certificate failures, or null. */
    private static String kind(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        String found = null;
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
                return "trust";
            }
            if (found == null && t instanceof CertificateException) {
                found = t.getClass().getSimpleName();
            }
        }
        return found;
    }
}
