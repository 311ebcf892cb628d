package io.jenkins.plugins.kmssecrets.store;

import java.io.IOException;
import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A store's HTTP proxy: {@code proxyHost}, {@code proxyPort} (default 3128), {@code proxyUser} with the password in
 * the environment variable {@code proxyPasswordEnv} or the file {@code proxyPasswordFile} (never a setting itself),
 * and {@code noProxyHosts}: host names reached directly, separated by commas, blanks, {@code |} or new lines, with
 * Jenkins' {@code ProxyConfiguration} semantics: an exact host, or a pattern where {@code *} stands for any
 * characters ({@code *.example.com} matches {@code vault.example.com}, not {@code example.com}). Matching ignores
 * case. The password is held only in the authenticator and appears in no message or {@code toString}.
 *
 * @param host       the proxy's host
 * @param port       the proxy's port
 * @param user       user name for the proxy, or {@code null}
 * @param noProxy    the no-proxy patterns as given
 * @since 0.3.0
 */
public record ProxySetting(String host, int port, String user, List<String> noProxy, PasswordSource password) {

    /** Setting keys, shared by every store type that talks HTTP. */
    public static final Set<String> KEYS = Set.of("proxyHost", "proxyPort", "proxyUser", "proxyPasswordEnv",
            "proxyPasswordFile", "noProxyHosts");

    /**
     * Hosts always reached directly: the cloud instance metadata services (link-local, which no proxy can reach), that
     * managed identity on Azure and Application Default Credentials on Google ask for tokens.
     */
    public static final List<String> ALWAYS_DIRECT = List.of("169.254.169.254", "metadata.google.internal");

    /** Supplies the proxy password when the proxy asks; never printed. */
    @FunctionalInterface
    public interface PasswordSource {
        /** The password, read when the proxy asks for it. */
        char[] read();
    }

    public ProxySetting {
        noProxy = List.copyOf(noProxy);
    }

    /**
     * The proxy of {@code definition}, or {@code null} when {@code proxyHost} is not set.
     *
     * @throws MisconfiguredException naming the setting that is wrong
     */
    public static ProxySetting from(StoreDefinition definition, StoreContext context) {
        String id = definition.id();
        String host = blankToNull(definition.string("proxyHost"));
        if (host == null) {
            for (String key : KEYS) {
                if (definition.string(key) != null && !"noProxyHosts".equals(key)) {
                    throw new MisconfiguredException(id, null, "setting '" + key + "' needs 'proxyHost'");
                }
            }
            return null;
        }
        if (host.contains("/") || host.contains(":") && !host.startsWith("[")) {
            throw new MisconfiguredException(id, null, "setting 'proxyHost' must be a host name, without scheme "
                    + "or port (put the port in 'proxyPort')");
        }
        int port = definition.integer("proxyPort", 3128);
        if (port < 1 || port > 65535) {
            throw new MisconfiguredException(id, null, "setting 'proxyPort' must be between 1 and 65535");
        }
        String user = blankToNull(definition.string("proxyUser"));
        String env = blankToNull(definition.string("proxyPasswordEnv"));
        String file = blankToNull(definition.string("proxyPasswordFile"));
        if (env != null && file != null) {
            throw new MisconfiguredException(id, null, "set either 'proxyPasswordEnv' or 'proxyPasswordFile', "
                    + "not both");
        }
        if ((env != null || file != null) && user == null) {
            throw new MisconfiguredException(id, null, "a proxy password needs 'proxyUser'");
        }
        PasswordSource password = null;
        if (env != null) {
            if (!env.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new MisconfiguredException(id, null, "setting 'proxyPasswordEnv' must be the NAME of an "
                        + "environment variable, not the password itself");
            }
            String value = context.env(env);
            if (value == null || value.isEmpty()) {
                throw new MisconfiguredException(id, null, "environment variable " + env
                        + " (setting 'proxyPasswordEnv') is not set");
            }
            password = value::toCharArray;
        } else if (file != null) {
            Path path = context.resolve(file);
            if (!Files.isReadable(path)) {
                throw new MisconfiguredException(id, null, "proxyPasswordFile " + path
                        + " does not exist or is not readable");
            }
            password = () -> {
                try {
                    return Files.readString(path, StandardCharsets.UTF_8).strip().toCharArray();
                } catch (IOException e) {
                    return new char[0];
                }
            };
        } else if (user != null) {
            password = () -> new char[0];
        }
        return new ProxySetting(host, port, user, patterns(definition.string("noProxyHosts")), password);
    }

    /** The patterns of a no-proxy text: separated by commas, blanks, {@code |} or new lines. */
    public static List<String> patterns(String text) {
        List<String> patterns = new ArrayList<>();
        if (text != null) {
            for (String item : text.split("[\\s,|]+")) {
                if (!item.isBlank()) {
                    patterns.add(item.trim());
                }
            }
        }
        return patterns;
    }

    /** Whether {@code host} is reached directly: it matches a no-proxy pattern, or is in {@link #ALWAYS_DIRECT}. */
    public boolean bypasses(String host) {
        if (host == null) {
            return false;
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        if (ALWAYS_DIRECT.contains(name)) {
            return true;
        }
        for (String pattern : noProxy) {
            String regex = Pattern.quote(pattern.toLowerCase(Locale.ROOT)).replace("*", "\\E.*\\Q");
            if (name.matches(regex)) {
                return true;
            }
        }
        return false;
    }

    /** The proxy to use for {@code host}: {@link Proxy#NO_PROXY} when it bypasses the proxy. */
    public Proxy proxyFor(String host) {
        return bypasses(host) ? Proxy.NO_PROXY
                : new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(this.host, port));
    }

    /** A selector applying {@link #proxyFor}. */
    public ProxySelector selector() {
        return new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                return List.of(proxyFor(uri.getHost()));
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException failure) {
                // the client reports the failure; nothing to remember
            }
        };
    }

    /** The no-proxy patterns and {@link #ALWAYS_DIRECT} in {@code http.nonProxyHosts} form ({@code a|*.b}). */
    public String nonProxyHosts() {
        List<String> all = new ArrayList<>(noProxy);
        all.addAll(ALWAYS_DIRECT);
        return String.join("|", all);
    }

    /** The proxy password, for clients that take it as text (the Azure SDK's {@code ProxyOptions}). */
    public String passwordText() {
        return password == null ? null : new String(password.read());
    }

    /**
     * Answers the proxy's challenge (and only the proxy's, never a server's) with {@code proxyUser}; {@code null}
     * without a user.
     */
    public Authenticator authenticator() {
        if (user == null) {
            return null;
        }
        return new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return getRequestorType() == RequestorType.PROXY
                        ? new PasswordAuthentication(user, password.read()) : null;
            }
        };
    }

    /**
     * The error for a proxy that answered 407: it wants credentials, or refused these. The JDK clients do not send
     * Basic credentials through an HTTPS tunnel unless the JVM runs with
     * {@code -Djdk.http.auth.tunneling.disabledSchemes=} (empty), so that is named too.
     */
    public MisconfiguredException authenticationRequired(String storeId, String secretName, URI target) {
        return new MisconfiguredException(storeId, secretName, "the proxy " + host + ":" + port
                + " refused the connection to " + UntrustedCertificate.origin(target)
                + " with HTTP 407 (proxy authentication required); "
                + (user == null ? "set proxyUser and proxyPasswordEnv or proxyPasswordFile"
                        : "check proxyUser '" + user + "' and its password")
                + "; Basic proxy authentication for https needs the JVM option "
                + "-Djdk.http.auth.tunneling.disabledSchemes= (empty)");
    }

    @Override
    public String toString() {
        return "ProxySetting[" + host + ":" + port + (user == null ? "" : ", user " + user) + ", noProxy "
                + noProxy + "]";
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
