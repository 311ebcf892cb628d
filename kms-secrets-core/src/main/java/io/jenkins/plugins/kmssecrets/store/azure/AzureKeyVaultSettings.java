package io.jenkins.plugins.kmssecrets.store.azure;

import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The settings of an {@code azure-key-vault} store, validated. None of them is secret: the client secret is read
 * from the environment variable that {@code clientSecretEnv} names, the certificate from a file.
 *
 * @param vaultUrl              {@code https://<name>.<dnsSuffix>/}, from {@code vaultUrl} or {@code vaultName} plus
 *                              {@code vaultDnsSuffix} (default {@code vault.azure.net})
 * @param authorityHost         Microsoft Entra authority, default {@code https://login.microsoftonline.com/}
 * @param auth                  how to sign in
 * @param tenantId              tenant, or {@code null} (required for the service-principal methods)
 * @param clientId              application or managed-identity client id, or {@code null}
 * @param clientSecretEnv       name of the environment variable holding the client secret
 * @param clientCertificatePath certificate file for {@link AzureAuth#CLIENT_CERTIFICATE}, or {@code null}
 * @param clientCertificatePasswordEnv name of the environment variable holding a PKCS#12 password, or {@code null}
 * @param tagFilter             only secrets carrying every one of these tags (with these values) are listed
 * @param connectTimeout        TCP and TLS connect timeout
 * @param readTimeout           time allowed for a response
 * @param maxRetries            retries after the first attempt for 429, 5xx and I/O failures
 * @param maxRetryWait          total time the store may wait between attempts of one call
 * @param signInTimeout         time allowed for getting one token (identity endpoint, authority or {@code az}),
 *                              retries of the identity library included ({@since 0.2.0})
 * @param handshakeTimeout      TLS handshake timeout, after the TCP connect ({@since 0.3.0})
 * @param bodyTimeout           time allowed for a whole response body once its headers arrived ({@since 0.3.0})
 * @since 0.1.0
 */
public record AzureKeyVaultSettings(
        URI vaultUrl,
        URI authorityHost,
        AzureAuth auth,
        String tenantId,
        String clientId,
        String clientSecretEnv,
        String clientCertificatePath,
        String clientCertificatePasswordEnv,
        Map<String, String> tagFilter,
        Duration connectTimeout,
        Duration readTimeout,
        int maxRetries,
        Duration maxRetryWait,
        Duration signInTimeout,
        Duration handshakeTimeout,
        Duration bodyTimeout) {

    /** The public cloud's vault DNS suffix. */
    public static final String DEFAULT_DNS_SUFFIX = "vault.azure.net";
    /** The public cloud's authority. */
    public static final String DEFAULT_AUTHORITY = "https://login.microsoftonline.com/";
    /** Default name of the environment variable holding a client secret. */
    public static final String DEFAULT_CLIENT_SECRET_ENV = "AZURE_CLIENT_SECRET";
    /** Default time allowed for one token. */
    public static final Duration DEFAULT_SIGN_IN_TIMEOUT = Duration.ofSeconds(5);
    /** Default time allowed for one token from {@code az}, which starts a Python program each time. */
    public static final Duration DEFAULT_AZURE_CLI_TIMEOUT = Duration.ofSeconds(20);
    /** Default time allowed for one token from the default chain, which tries several credentials in turn. */
    public static final Duration DEFAULT_CHAIN_TIMEOUT = Duration.ofSeconds(30);

    /** Whether {@code authorityHost} names another authority than the public cloud's (a sovereign or private cloud). */
    public boolean customAuthority() {
        return !"login.microsoftonline.com".equalsIgnoreCase(authorityHost.getHost())
                || (authorityHost.getPort() != -1 && authorityHost.getPort() != 443);
    }

    /** Setting keys a definition may carry. */
    public static final Set<String> KEYS = Set.of("vaultUrl", "vaultName", "vaultDnsSuffix", "authorityHost", "auth",
            "tenantId", "clientId", "clientSecretEnv", "clientCertificatePath", "clientCertificatePasswordEnv",
            "tagFilter", "connectTimeout", "readTimeout", "maxRetries", "maxRetryWait", "signInTimeout",
            "handshakeTimeout", "bodyTimeout",
            // read by AzureKeyVaultStoreProvider: io.jenkins.plugins.kmssecrets.store.CaBundle and ProxySetting
            "caCertFile", "proxyHost", "proxyPort", "proxyUser", "proxyPasswordEnv", "proxyPasswordFile",
            "noProxyHosts");

    // Key Vault vault names: 3-24 characters, letters, digits and dashes, starting with a letter.
    private static final Pattern VAULT_NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public AzureKeyVaultSettings {
        tagFilter = tagFilter == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(tagFilter));
    }

    /**
     * Reads and validates the settings of {@code definition}.
     *
     * @throws MisconfiguredException naming the setting that is missing or wrong
     */
    public static AzureKeyVaultSettings from(StoreDefinition definition) {
        for (String key : definition.settings().keySet()) {
            if (!KEYS.contains(key)) {
                throw bad(definition, "unknown setting '" + key + "' for a store of type 'azure-key-vault'; known settings: "
                        + String.join(", ", new java.util.TreeSet<>(KEYS)));
            }
        }
        URI vaultUrl = vaultUrl(definition);
        URI authority = https(definition, "authorityHost", definition.string("authorityHost", DEFAULT_AUTHORITY));
        String authText = definition.string("auth", AzureAuth.DEFAULT.setting());
        AzureAuth auth = AzureAuth.fromSetting(authText);
        if (auth == null) {
            throw bad(definition, "setting 'auth' is '" + authText + "'; expected one of " + AzureAuth.accepted());
        }
        String tenantId = blankToNull(definition.string("tenantId"));
        String clientId = blankToNull(definition.string("clientId"));
        String secretEnv = envName(definition, "clientSecretEnv",
                definition.string("clientSecretEnv", DEFAULT_CLIENT_SECRET_ENV));
        String certificate = blankToNull(definition.string("clientCertificatePath"));
        String certPasswordEnv = definition.string("clientCertificatePasswordEnv") == null ? null
                : envName(definition, "clientCertificatePasswordEnv", definition.string("clientCertificatePasswordEnv"));
        if (auth == AzureAuth.CLIENT_SECRET || auth == AzureAuth.CLIENT_CERTIFICATE) {
            if (tenantId == null || clientId == null) {
                throw bad(definition, "settings 'tenantId' and 'clientId' are required when auth is " + auth.setting());
            }
        }
        if (auth == AzureAuth.CLIENT_CERTIFICATE && certificate == null) {
            throw bad(definition, "setting 'clientCertificatePath' is required when auth is clientCertificate");
        }
        int maxRetries = definition.integer("maxRetries", 3);
        if (maxRetries < 0 || maxRetries > 10) {
            throw bad(definition, "setting 'maxRetries' must be between 0 and 10");
        }
        return new AzureKeyVaultSettings(vaultUrl, authority, auth, tenantId, clientId, secretEnv, certificate,
                certPasswordEnv, tagFilter(definition),
                positive(definition, "connectTimeout", definition.duration("connectTimeout", Duration.ofSeconds(10))),
                positive(definition, "readTimeout", definition.duration("readTimeout", Duration.ofSeconds(30))),
                maxRetries,
                definition.duration("maxRetryWait", Duration.ofSeconds(60)),
                positive(definition, "signInTimeout", definition.duration("signInTimeout",
                        auth == AzureAuth.AZURE_CLI ? DEFAULT_AZURE_CLI_TIMEOUT
                                : auth == AzureAuth.DEFAULT ? DEFAULT_CHAIN_TIMEOUT : DEFAULT_SIGN_IN_TIMEOUT)),
                positive(definition, "handshakeTimeout", definition.duration("handshakeTimeout", Duration.ofSeconds(10))),
                positive(definition, "bodyTimeout", definition.duration("bodyTimeout", Duration.ofSeconds(30))));
    }

    /**
     * The limits of each request to the vault: {@code connectTimeout}, {@code handshakeTimeout}, {@code readTimeout}
     * (to the response headers) and {@code bodyTimeout}.
     *
     * @since 0.3.0
     */
    public io.jenkins.plugins.kmssecrets.store.NetworkLimits limits() {
        return new io.jenkins.plugins.kmssecrets.store.NetworkLimits(connectTimeout, handshakeTimeout, readTimeout,
                bodyTimeout, "readTimeout");
    }

    private static URI vaultUrl(StoreDefinition definition) {
        String url = blankToNull(definition.string("vaultUrl"));
        String name = blankToNull(definition.string("vaultName"));
        if (url != null && name != null) {
            throw bad(definition, "set either 'vaultUrl' or 'vaultName', not both");
        }
        if (url == null && name == null) {
            throw bad(definition, "setting 'vaultUrl' (or 'vaultName') is required for a store of type 'azure-key-vault'");
        }
        String key = url == null ? "vaultName" : "vaultUrl";
        if (url == null) {
            if (!VAULT_NAME.matcher(name).matches()) {
                throw bad(definition, "setting 'vaultName' must be 3-24 letters, digits or dashes, starting with a letter");
            }
            String suffix = definition.string("vaultDnsSuffix", DEFAULT_DNS_SUFFIX).trim();
            url = "https://" + name + "." + suffix + "/";
        } else if (definition.string("vaultDnsSuffix") != null) {
            throw bad(definition, "setting 'vaultDnsSuffix' only applies with 'vaultName'; 'vaultUrl' already names the host");
        }
        return https(definition, key, url);
    }

    private static URI https(StoreDefinition definition, String key, String text) {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw bad(definition, "setting '" + key + "' is not a URL");
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw bad(definition, "setting '" + key + "' must be an https:// URL with a host");
        }
        if (uri.getUserInfo() != null || uri.getQuery() != null) {
            throw bad(definition, "setting '" + key + "' must not carry user information or a query");
        }
        return uri;
    }

    private static Map<String, String> tagFilter(StoreDefinition definition) {
        Object raw = definition.settings().get("tagFilter");
        Map<String, String> filter = new TreeMap<>();
        if (raw == null) {
            return filter;
        }
        if (raw instanceof Map<?, ?> map) {
            map.forEach((k, v) -> filter.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
            return filter;
        }
        for (String pair : raw.toString().split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw bad(definition, "setting 'tagFilter' must be a map or 'tag=value,tag2=value2'");
            }
            filter.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return filter;
    }

    private static String envName(StoreDefinition definition, String key, String name) {
        if (!ENV_NAME.matcher(name.trim()).matches()) {
            throw bad(definition, "setting '" + key + "' must be the NAME of an environment variable (letters, digits, _), "
                    + "not the secret itself");
        }
        return name.trim();
    }

    private static Duration positive(StoreDefinition definition, String key, Duration duration) {
        if (duration.isZero()) {
            throw bad(definition, "setting '" + key + "' must be longer than zero");
        }
        return duration;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }

    private static MisconfiguredException bad(StoreDefinition definition, String detail) {
        String where = definition.location() == null ? "" : " (" + definition.location().position() + ")";
        return new MisconfiguredException(definition.id(), null, detail + where);
    }
}
