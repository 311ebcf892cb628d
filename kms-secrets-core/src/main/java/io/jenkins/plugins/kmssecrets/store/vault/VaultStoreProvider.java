package io.jenkins.plugins.kmssecrets.store.vault;

import io.jenkins.plugins.kmssecrets.store.CaBundle;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.NetworkLimits;
import io.jenkins.plugins.kmssecrets.store.ProxySetting;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretStoreProvider;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Set;

/**
 * Type {@code vault}. Settings: {@code address} (required, or {@code VAULT_ADDR}), {@code mount} (default
 * {@code secret}), {@code kvVersion} (2 or 1, default 2), {@code prefix} (where listing starts), {@code namespace},
 * {@code caCertFile}, {@code auth} ({@code token} (default), {@code approle} or {@code kubernetes}) with
 * {@code tokenEnv} or {@code tokenFile} (neither: the vault CLI's token, see {@link VaultCliToken}); {@code authMount}, {@code roleId},
 * {@code roleIdFile}, {@code roleIdEnv}, {@code secretIdFile}, {@code secretIdEnv}; {@code role}, {@code jwtFile};
 * and {@code maxAttempts}, {@code retryDelay}, {@code timeout}, {@code maxListEntries}, {@code maxListDepth},
 * {@code listConcurrency}; {@code connectTimeout}, {@code handshakeTimeout}, {@code responseTimeout},
 * {@code bodyTimeout} (see {@link NetworkLimits}; default {@code timeout}, at most 10 s for connect and handshake);
 * {@code proxyHost}, {@code proxyPort}, {@code proxyUser}, {@code proxyPasswordEnv}, {@code proxyPasswordFile} and
 * {@code noProxyHosts} ({@link ProxySetting}).
 * Secrets (tokens, secret ids, JWTs) are never settings themselves, only the files or variables holding them.
 * As with the vault CLI, {@code VAULT_ADDR}, {@code VAULT_NAMESPACE} and {@code VAULT_CACERT} are the defaults of
 * {@code address}, {@code namespace} and {@code caCertFile}; {@code VAULT_SKIP_VERIFY} is not honoured.
 *
 * @since 0.1.0
 */
public final class VaultStoreProvider implements SecretStoreProvider {

    static final String KUBERNETES_JWT = "/var/run/secrets/kubernetes.io/serviceaccount/token";

    @Override
    public String type() {
        return VaultStore.TYPE;
    }

    @Override
    public Set<String> settingKeys() {
        return Set.of("address", "mount", "kvVersion", "prefix", "namespace", "caCertFile", "auth", "tokenEnv",
                "tokenFile", "authMount", "roleId", "roleIdFile", "roleIdEnv", "secretIdFile", "secretIdEnv", "role",
                "jwtFile", "maxAttempts", "retryDelay", "timeout", "maxListEntries", "maxListDepth", "listConcurrency",
                "auditHeader", "connectTimeout", "handshakeTimeout", "responseTimeout", "bodyTimeout", "proxyHost",
                "proxyPort", "proxyUser", "proxyPasswordEnv", "proxyPasswordFile", "noProxyHosts");
    }

    @Override
    public SecretStore create(StoreDefinition definition, StoreContext context) {
        String id = definition.id();
        int kvVersion = definition.integer("kvVersion", 2);
        if (kvVersion != 1 && kvVersion != 2) {
            throw new MisconfiguredException(id, null, "setting 'kvVersion' must be 1 or 2");
        }
        VaultStore.Builder builder = VaultStore.builder(id, address(definition, context), auth(definition, context))
                .mount(definition.string("mount", "secret"))
                .kvVersion(kvVersion)
                .prefix(definition.string("prefix", ""))
                .namespace(definition.string("namespace", blankToNull(context.env("VAULT_NAMESPACE"))))
                .clock(context.clock())
                .maxAttempts(positive(definition, "maxAttempts", 3))
                .retryDelay(definition.duration("retryDelay", Duration.ofMillis(250)))
                .timeout(definition.duration("timeout", Duration.ofSeconds(30)))
                .limits(NetworkLimits.from(definition, VaultHttp.limits(definition.duration("timeout",
                        Duration.ofSeconds(30)))))
                .maxListEntries(positive(definition, "maxListEntries", 10_000))
                .maxListDepth(positive(definition, "maxListDepth", 10))
                .listConcurrency(positive(definition, "listConcurrency", 8));
        String ca = definition.string("caCertFile", blankToNull(context.env("VAULT_CACERT")));
        if (ca != null) {
            builder.caBundle(CaBundle.load(id, context.resolve(ca)));
        }
        builder.proxy(ProxySetting.from(definition, context));
        try {
            builder.auditHeader(definition.string("auditHeader"));
        } catch (IllegalArgumentException e) {
            throw new MisconfiguredException(id, null, "setting 'auditHeader': " + e.getMessage());
        }
        return builder.build();
    }

    private static URI address(StoreDefinition definition, StoreContext context) {
        String text = definition.string("address", context.env("VAULT_ADDR"));
        if (text == null || text.isBlank()) {
            throw new MisconfiguredException(definition.id(), null, "setting 'address' is required for a store of "
                    + "type 'vault' (or set VAULT_ADDR)");
        }
        try {
            URI uri = new URI(text.trim());
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new URISyntaxException(text, "not an http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new MisconfiguredException(definition.id(), null, "setting 'address' must be an http(s) URL such "
                    + "as https://vault.example.com:8200");
        }
    }

    static VaultAuth auth(StoreDefinition definition, StoreContext context) {
        String method = definition.string("auth", "token");
        return switch (method) {
            case "token" -> {
                String file = definition.string("tokenFile");
                String variable = definition.string("tokenEnv");
                if (file != null) {
                    yield VaultAuth.token(new FileCredentialSource("token", context.resolve(file)), true);
                }
                if (variable != null) {
                    yield VaultAuth.token(new EnvironmentCredentialSource("token", variable, context.environment()),
                            false);
                }
                // neither set: the vault CLI's contract (VAULT_TOKEN, a token_helper, ~/.vault-token)
                VaultCliToken cli = new VaultCliToken(context.environment(),
                        definition.duration("timeout", Duration.ofSeconds(30)));
                yield VaultAuth.token(cli, cli.rereadable());
            }
            case "approle" -> VaultAuth.appRole(definition.string("authMount", "approle"),
                    source(definition, context, "roleId", true), source(definition, context, "secretId", false));
            case "kubernetes" -> VaultAuth.kubernetes(definition.string("authMount", "kubernetes"),
                    definition.requiredString("role"),
                    new FileCredentialSource("service-account JWT",
                            context.resolve(definition.string("jwtFile", KUBERNETES_JWT))));
            default -> throw new MisconfiguredException(definition.id(), null, "setting 'auth' must be token, "
                    + "approle or kubernetes, not '" + method + "'");
        };
    }

    /** {@code <key>} (only when {@code literalAllowed}), {@code <key>File} or {@code <key>Env}: exactly one. */
    private static VaultAuth.CredentialSource source(StoreDefinition definition, StoreContext context, String key,
            boolean literalAllowed) {
        String literal = literalAllowed ? definition.string(key) : null;
        String file = definition.string(key + "File");
        String env = definition.string(key + "Env");
        int given = (literal != null ? 1 : 0) + (file != null ? 1 : 0) + (env != null ? 1 : 0);
        if (given != 1) {
            throw new MisconfiguredException(definition.id(), null, "AppRole needs exactly one of "
                    + (literalAllowed ? "'" + key + "', " : "") + "'" + key + "File' or '" + key + "Env'");
        }
        if (literal != null) {
            return VaultAuth.CredentialSource.literal(key, literal);
        }
        return file != null ? new FileCredentialSource(key, context.resolve(file))
                : new EnvironmentCredentialSource(key, env, context.environment());
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }

    private static int positive(StoreDefinition definition, String key, int fallback) {
        int value = definition.integer(key, fallback);
        if (value < 1) {
            throw new MisconfiguredException(definition.id(), null, "setting '" + key + "' must be at least 1");
        }
        return value;
    }
}
