package io.jenkins.plugins.kmssecrets.store.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.ProxyOptions;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.FixedDelay;
import com.azure.core.http.policy.HttpLogDetailLevel;
import com.azure.core.http.policy.HttpLogOptions;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.util.Context;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;
import com.azure.security.keyvault.secrets.models.SecretProperties;
import io.jenkins.plugins.kmssecrets.audit.AuditContext;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.CaBundle;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.JsonProperty;
import io.jenkins.plugins.kmssecrets.store.ProxySetting;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretNotFoundException;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.UntrustedCertificate;
import io.jenkins.plugins.kmssecrets.store.azure.KeyVaultCall.Permission;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * An Azure Key Vault (secrets) store, type {@code azure-key-vault}, on the Azure SDK with the JDK HTTP client.
 *
 * <p>Key Vault has no call that returns a secret's properties without its value: {@code GET /secrets/{name}} always
 * returns the value. So {@link #describe} and {@link #versions} use the list-versions call, which needs only
 * {@code secrets/list}; an identity that may list but not read values (access policy {@code secrets/list}, or the
 * Azure RBAC role "Key Vault Reader") can run {@link #list}, {@link #describe} and {@link #versions}, and so every
 * check. Only {@link #fetch} needs {@code secrets/get} ("Key Vault Secrets User").
 *
 * <p>Names are validated before any call (Key Vault allows letters, digits and dashes), so a reference cannot
 * address another path of the vault.
 *
 * @since 0.1.0
 */
public final class AzureKeyVaultStore implements SecretStore {

    /** The type name in the manifest. */
    public static final String TYPE = "azure-key-vault";

    private static final Pattern NAME = Pattern.compile("[0-9a-zA-Z-]{1,127}");
    private static final Pattern VERSION = Pattern.compile("[0-9a-zA-Z]{1,64}");
    private static final Comparator<SecretMetadata> NEWEST_FIRST = Comparator
            .comparing(SecretMetadata::created, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(SecretMetadata::updated, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(SecretMetadata::version, Comparator.nullsFirst(Comparator.naturalOrder()))
            .reversed();

    private final String id;
    private final AzureKeyVaultSettings settings;
    private final SecretClient client;
    private final KeyVaultCall call;
    private final CountingHttpClient counted;
    private final AtomicLong tokens = new AtomicLong();

    /**
     * Builds the store; no network traffic until the first call.
     *
     * @param transport the HTTP client, credential and pause to use; {@link KeyVaultTransport#azure()} in production
     * @throws io.jenkins.plugins.kmssecrets.store.MisconfiguredException when the credential cannot be built
     */
    public AzureKeyVaultStore(String id, AzureKeyVaultSettings settings, StoreContext context,
            KeyVaultTransport transport) {
        this(id, settings, context, transport, null, null);
    }

    /**
     * Builds the store with a proxy and a CA bundle for every request, the identity endpoint's included; no network
     * traffic until the first call.
     *
     * @param proxy    the HTTP proxy ({@code ProxyOptions}), or {@code null} for the Azure SDK's default (the
     *                 {@code HTTPS_PROXY} / {@code https.proxyHost} configuration of the process, if any)
     * @param caBundle the CA certificates trusted instead of the transport's (the JVM trust store), or {@code null}
     * @since 0.3.0
     */
    public AzureKeyVaultStore(String id, AzureKeyVaultSettings settings, StoreContext context,
            KeyVaultTransport transport, ProxySetting proxy, CaBundle caBundle) {
        this.id = Objects.requireNonNull(id, "id");
        this.settings = Objects.requireNonNull(settings, "settings");
        java.net.http.HttpClient.Builder jdk = transport.httpClientBuilder();
        if (caBundle != null) {
            jdk.sslContext(caBundle.sslContext());
        }
        JdkHttpClientBuilder httpBuilder = new JdkHttpClientBuilder(jdk)
                .connectionTimeout(settings.connectTimeout())
                .responseTimeout(settings.readTimeout())
                .readTimeout(settings.readTimeout());
        if (proxy != null) {
            httpBuilder.proxy(proxyOptions(proxy));
        }
        HttpClient http = httpBuilder.build();
        AuditingHttpClient audited = new AuditingHttpClient(http, settings.vaultUrl().getRawAuthority());
        this.counted = new CountingHttpClient(audited, settings.vaultUrl().getRawAuthority());
        TokenCredential credential = transport.credential(id, settings, context, counted);
        SecretClientBuilder builder = new SecretClientBuilder()
                .vaultUrl(settings.vaultUrl().toString())
                .credential(request -> {
                    tokens.incrementAndGet();
                    audited.tokenRequestedBy(AuditContext.current());
                    return credential.getToken(request);
                })
                .httpClient(counted)
                // KeyVaultCall retries with a bounded budget; the SDK's own retries would multiply it.
                .retryPolicy(new RetryPolicy(new FixedDelay(0, Duration.ofMillis(1))))
                // Never log bodies: a GET secret response body is the value.
                .httpLogOptions(new HttpLogOptions().setLogLevel(HttpLogDetailLevel.NONE));
        if (!transport.verifyChallengeResource()) {
            builder.disableChallengeResourceVerification();
        }
        this.client = builder.buildClient();
        this.call = new KeyVaultCall(id, settings, transport, context.clock(),
                caBundle == null ? CaBundle.REMEDY_WITHOUT_BUNDLE : caBundle.remedy());
    }

    private static ProxyOptions proxyOptions(ProxySetting proxy) {
        ProxyOptions options = new ProxyOptions(ProxyOptions.Type.HTTP,
                new InetSocketAddress(proxy.host(), proxy.port()));
        options.setNonProxyHosts(proxy.nonProxyHosts());
        if (proxy.user() != null) {
            options.setCredentials(proxy.user(), proxy.passwordText());
        }
        return options;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The settings this store was built with. */
    public AzureKeyVaultSettings settings() {
        return settings;
    }

    /**
     * Every secret's properties (never values), following {@code nextLink} to the last page, restricted to the
     * {@code tagFilter} setting. Versions are not known from this call and are {@code null}.
     *
     * <p>REST: {@code GET /secrets}. Permission: {@code secrets/list} (RBAC: "Key Vault Reader").
     */
    @Override
    public List<SecretMetadata> list() {
        return call.run(null, "list secrets", Permission.LIST, () -> {
            List<SecretMetadata> all = new ArrayList<>();
            for (SecretProperties properties : client.listPropertiesOfSecrets(Context.NONE)) {
                SecretMetadata metadata = metadata(properties.getName(), properties);
                if (matchesFilter(metadata.tags())) {
                    all.add(metadata);
                }
            }
            return List.copyOf(all);
        });
    }

    /**
     * The current version's properties, or the pinned version's, without reading a value: the current version is
     * the most recently created one in the version list.
     *
     * <p>REST: {@code GET /secrets/{name}/versions}. Permission: {@code secrets/list} (RBAC: "Key Vault Reader").
     *
     * @throws SecretNotFoundException when the secret or the pinned version does not exist
     */
    @Override
    public SecretMetadata describe(SecretReference reference) {
        List<SecretMetadata> versions = versions(reference.name());
        if (reference.version() == null) {
            return versions.get(0);
        }
        return versions.stream()
                .filter(v -> reference.version().equalsIgnoreCase(v.version()))
                .findFirst()
                .orElseThrow(() -> new SecretNotFoundException(id, reference.name(), "version '"
                        + reference.version() + "' not found in vault " + settings.vaultUrl().getHost()));
    }

    /**
     * Every version's properties, newest first, never values.
     *
     * <p>REST: {@code GET /secrets/{name}/versions}. Permission: {@code secrets/list} (RBAC: "Key Vault Reader").
     *
     * @throws SecretNotFoundException when the secret has no versions
     */
    @Override
    public List<SecretMetadata> versions(String name) {
        checkName(name);
        List<SecretMetadata> versions = call.run(name, "list the versions of the secret", Permission.LIST, () -> {
            List<SecretMetadata> all = new ArrayList<>();
            for (SecretProperties properties : client.listPropertiesOfSecretVersions(name, Context.NONE)) {
                all.add(metadata(name, properties));
            }
            return all;
        });
        if (versions.isEmpty()) {
            throw new SecretNotFoundException(id, name, "not found in vault " + settings.vaultUrl().getHost());
        }
        versions.sort(NEWEST_FIRST);
        return List.copyOf(versions);
    }

    /**
     * The value of the latest or pinned version; with a property, that field of the JSON value. Disabled secrets
     * fail with {@link io.jenkins.plugins.kmssecrets.store.AccessDeniedException}; expired or not-yet-valid ones are
     * served, as Key Vault serves them (callers check {@link SecretMetadata#unusableReason}).
     *
     * <p>REST: {@code GET /secrets/{name}/{version}}. Permission: {@code secrets/get} (RBAC: "Key Vault Secrets
     * User").
     */
    @Override
    public SecretValue fetch(SecretReference reference) {
        String name = reference.name();
        checkName(name);
        if (reference.version() != null && !VERSION.matcher(reference.version()).matches()) {
            throw new InvalidInputException(id, name, "version '" + reference.version()
                    + "' is not a Key Vault version id (letters and digits)");
        }
        String version = reference.version() == null ? "" : reference.version();
        SecretValue value;
        try {
            value = call.run(name, "read the secret value", Permission.GET, () -> {
                KeyVaultSecret secret = client.getSecretWithResponse(name, version, Context.NONE).getValue();
                String text = secret.getValue();
                return SecretValue.ofString(text == null ? "" : text);
            });
        } catch (SecretNotFoundException e) {
            throw e.namingVersion(reference.version());
        }
        if (reference.property() == null) {
            return value;
        }
        try (value) {
            return JsonProperty.select(value, reference.property(), id, name);
        }
    }

    private void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException(id, name, "'" + name + "' is not a Key Vault secret name (1-127 letters, "
                    + "digits and dashes)");
        }
    }

    private boolean matchesFilter(Map<String, String> tags) {
        for (Map.Entry<String, String> wanted : settings.tagFilter().entrySet()) {
            if (!wanted.getValue().equals(tags.get(wanted.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private SecretMetadata metadata(String name, SecretProperties p) {
        return new SecretMetadata(id, name, p.getVersion(), p.isEnabled() == null || p.isEnabled(),
                instant(p.getCreatedOn()), instant(p.getUpdatedOn()), instant(p.getNotBefore()),
                instant(p.getExpiresOn()), p.getTags(), p.getContentType());
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    /**
     * Requests sent so far: {@code challenge} (unauthenticated requests to the vault, answered with the bearer
     * challenge), {@code vault} (authenticated ones), {@code token} (tokens the credential was asked for) and
     * {@code identity} (HTTP requests to the authority or identity endpoint).
     */
    @Override
    public Map<String, Long> requestCounts() {
        return counted.counts(tokens.get());
    }

    @Override
    public String toString() {
        return "AzureKeyVaultStore[" + id + ", " + settings.vaultUrl() + "]";
    }
}
