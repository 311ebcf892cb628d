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
import io.jenkins.plugins.kmssecrets.store.BoundedHttpClient;
import io.jenkins.plugins.kmssecrets.store.CaBundle;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.JsonProperty;
import io.jenkins.plugins.kmssecrets.store.ProxySetting;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretNotFoundException;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.SecretWriter;
import io.jenkins.plugins.kmssecrets.store.WriteOptions;
import io.jenkins.plugins.kmssecrets.store.WrittenVersion;
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
public final class AzureKeyVaultStore implements SecretWriter {

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
        java.net.http.HttpClient.Builder base = transport.httpClientBuilder();
        if (caBundle != null) {
            base.sslContext(caBundle.sslContext());
        }
        BoundedHttpClient.Builder bounded = BoundedHttpClient.builder(base, settings.limits());
        JdkHttpClientBuilder httpBuilder = new JdkHttpClientBuilder(bounded)
                .connectionTimeout(settings.connectTimeout())
                .responseTimeout(settings.readTimeout())
                // The SDK's read timeout (between two reads) would race the whole-body limit over a dripping body.
                .readTimeout(settings.readTimeout().plus(settings.bodyTimeout()));
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
        KnownChallengePolicy knownChallenge = KnownChallengePolicy.of(settings, transport.verifyChallengeResource());
        if (knownChallenge != null) {
            builder.addPolicy(knownChallenge).addPolicy(knownChallenge.followVaultChallenge());
        }
        this.client = builder.buildClient();
        this.call = new KeyVaultCall(id, settings, transport, context.clock(),
                caBundle == null ? CaBundle.REMEDY_WITHOUT_BUNDLE : caBundle.remedy());
        // The SDK reads a list page whose body was cut as an empty page: such a call is failed and retried.
        BoundedHttpClient jdk = bounded.built();
        if (jdk != null) {
            call.watchBodies(jdk::bodyFailures, jdk::lastBodyFailure);
        }
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

    /** Key Vault keeps every version: rollback works. */
    @Override
    public boolean keepsVersions() {
        return true;
    }

    /**
     * Writes a new version with the previous version's content type and tags (tags are per version in Key Vault,
     * and {@code dataFrom.find} filters select on them); activation and expiry dates are not copied. With a
     * property, the current version's JSON value is read and only that property replaced. With
     * {@link WriteOptions#disablePrevious()}, the previous version is then disabled ({@code enabled=false}).
     * Key Vault has no conditional write: a concurrent writer is not detected.
     *
     * <p>REST: {@code GET /secrets/{name}/versions} ({@code secrets/list}), with a property {@code GET
     * /secrets/{name}/{version}} ({@code secrets/get}), {@code PUT /secrets/{name}} and, to disable, {@code PATCH
     * /secrets/{name}/{version}} ({@code secrets/set}; RBAC: "Key Vault Secrets Officer").
     */
    @Override
    public WrittenVersion write(SecretReference reference, SecretValue value, WriteOptions options) {
        String name = reference.name();
        checkName(name);
        if (reference.version() != null) {
            throw new InvalidInputException(id, name, "a new version is written after the current one; drop '@"
                    + reference.version() + "'");
        }
        if (!value.isText()) {
            throw new InvalidInputException(id, name, "the new value is not UTF-8 text; Key Vault secrets are text");
        }
        SecretProperties previous = currentProperties(name);
        SecretValue written = reference.property() == null ? value.copy() : replaced(reference, previous, value);
        KeyVaultSecret created;
        try (written) {
            SecretProperties properties = new SecretProperties().setContentType(previous.getContentType());
            if (previous.getTags() != null && !previous.getTags().isEmpty()) {
                properties.setTags(previous.getTags());
            }
            KeyVaultSecret secret = new KeyVaultSecret(name, written.asString()).setProperties(properties);
            // Retried only after an answer that says it was not applied (429 throttled, a refused connection): a
            // time-out or a 5xx may have written a version already, and a second one would hide it.
            java.util.concurrent.atomic.AtomicReference<String> mayBeApplied =
                    new java.util.concurrent.atomic.AtomicReference<>();
            created = call.run(name, "write a new version of the secret", Permission.SET, () -> {
                if (mayBeApplied.get() != null) {
                    throw new io.jenkins.plugins.kmssecrets.store.StoreUnavailableException(id, name, "writing a "
                            + "new version failed (" + mayBeApplied.get() + ") and may have been applied; not "
                            + "retried: look at the secret's versions before rotating again");
                }
                try {
                    return client.setSecretWithResponse(secret, Context.NONE).getValue();
                } catch (RuntimeException e) {
                    String outcome = unappliedOrSummary(e);
                    if (outcome != null) {
                        mayBeApplied.set(outcome);
                    }
                    throw e;
                }
            });
        }
        String newVersion = created.getProperties().getVersion();
        boolean disabled = false;
        if (options.disablePrevious() && previous.getVersion() != null
                && !previous.getVersion().equalsIgnoreCase(newVersion)) {
            call.run(name, "disable the previous version", Permission.SET,
                    () -> client.updateSecretPropertiesWithResponse(previous.setEnabled(false), Context.NONE)
                            .getValue());
            disabled = true;
        }
        return new WrittenVersion(id, name, reference.property(), previous.getVersion(), newVersion, disabled, null);
    }

    /**
     * {@code null} when {@code e} says the write was not applied (HTTP 429, a refused connection), otherwise a summary
     * naming the status or exception type (never a message, which may quote the request).
     */
    private static String unappliedOrSummary(RuntimeException e) {
        if (e instanceof com.azure.core.exception.HttpResponseException http && http.getResponse() != null) {
            int status = http.getResponse().getStatusCode();
            return status == 429 ? null : "HTTP " + status;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return null;
            }
        }
        return e.getClass().getSimpleName();
    }

    /** The current version's properties (the most recently created), as {@link #describe} finds it. */
    private SecretProperties currentProperties(String name) {
        List<SecretProperties> all = call.run(name, "list the versions of the secret", Permission.LIST, () -> {
            List<SecretProperties> found = new ArrayList<>();
            for (SecretProperties properties : client.listPropertiesOfSecretVersions(name, Context.NONE)) {
                found.add(properties);
            }
            return found;
        });
        if (all.isEmpty()) {
            throw new SecretNotFoundException(id, name, "not found in vault " + settings.vaultUrl().getHost()
                    + "; a rotation writes a new version of an existing secret");
        }
        Comparator<SecretProperties> newestFirst = Comparator.comparing(
                (SecretProperties p) -> metadata(name, p), NEWEST_FIRST);
        all.sort(newestFirst);
        return all.get(0);
    }

    /** The current version's JSON value with one property replaced by {@code value}. */
    private SecretValue replaced(SecretReference reference, SecretProperties current, SecretValue value) {
        SecretReference whole = new SecretReference(reference.storeId(), reference.name(), current.getVersion(),
                null);
        try (SecretValue document = fetch(whole)) {
            return JsonProperty.replace(document, reference.property(), value, id, reference.name());
        }
    }

    @Override
    public String toString() {
        return "AzureKeyVaultStore[" + id + ", " + settings.vaultUrl() + "]";
    }
}
