package io.jenkins.plugins.kmssecrets.store.gcp;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.api.gax.rpc.UnaryCallSettings;
import com.google.cloud.secretmanager.v1.AccessSecretVersionResponse;
import com.google.cloud.secretmanager.v1.ListSecretVersionsRequest;
import com.google.cloud.secretmanager.v1.ListSecretsRequest;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretManagerServiceSettings;
import com.google.cloud.secretmanager.v1.SecretVersion;
import com.google.protobuf.Timestamp;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.JsonProperty;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretNotFoundException;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreUnavailableException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Google Secret Manager, one project (optionally one location) per store, spoken over HTTP/JSON.
 *
 * <p>Remote calls and the IAM permission each method needs:
 * <ul>
 *   <li>{@link #list()}: {@code ListSecrets} (paged, with the configured server-side filter),
 *       {@code secretmanager.secrets.list};</li>
 *   <li>{@link #describe(SecretReference)}: {@code GetSecret} and {@code GetSecretVersion},
 *       {@code secretmanager.secrets.get} and {@code secretmanager.versions.get};</li>
 *   <li>{@link #versions(String)}: {@code ListSecretVersions}, {@code secretmanager.versions.list};</li>
 *   <li>{@link #fetch(SecretReference)}: {@code AccessSecretVersion}, {@code secretmanager.versions.access}
 *       ({@code roles/secretmanager.secretAccessor}), the only call that reads a value.</li>
 * </ul>
 * {@code roles/secretmanager.viewer} covers every method but {@code fetch}. {@code UNAVAILABLE} and
 * {@code RESOURCE_EXHAUSTED} answers are retried a bounded number of times with exponential back-off.
 *
 * <p>The client is built on first use, so building the store never touches the network or the credential chain.
 *
 * @since 0.1.0
 */
public final class GoogleSecretManagerStore implements SecretStore {

    /** The store type name used in manifests. */
    public static final String TYPE = "google-secret-manager";

    private static final Pattern SECRET_ID = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9_-]{1,63}");
    private static final Set<StatusCode.Code> RETRYABLE =
            Set.of(StatusCode.Code.UNAVAILABLE, StatusCode.Code.RESOURCE_EXHAUSTED);

    /**
     * Conscrypt is excluded from the class path on purpose (7 MiB); without this the HTTP/JSON transport logs a
     * warning with a stack trace on every first connection before falling back to the JDK's TLS. Held in a field
     * because java.util.logging keeps loggers only weakly.
     */
    private static final Logger CONSCRYPT_PROBE = quiet("com.google.api.gax.httpjson.HttpJsonConscryptUtils");

    private final String id;
    private final String project;
    private final String location;
    private final String filter;
    private final int pageSize;
    private final Supplier<SecretManagerServiceSettings> settings;
    private SecretManagerServiceClient client;
    private boolean closed;

    private GoogleSecretManagerStore(Builder builder) {
        this.id = builder.id;
        this.project = builder.project;
        this.location = builder.location;
        this.filter = builder.filter;
        this.pageSize = builder.pageSize;
        Builder frozen = builder.copy();
        this.settings = () -> clientSettings(frozen);
    }

    /**
     * A builder for a store named {@code id} over the secrets of {@code project}.
     *
     * @param id      the store id used in references
     * @param project the Google Cloud project id or number
     */
    public static Builder builder(String id, String project) {
        return new Builder(id, project);
    }

    /**
     * Whether {@code name} is a valid Secret Manager secret id: 1 to 255 of {@code [A-Za-z0-9_-]}. For validators
     * (ESO {@code remoteRef.key}) that check references without a store.
     */
    public static boolean isValidSecretId(String name) {
        return name != null && SECRET_ID.matcher(name).matches();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The project this store reads. */
    public String project() {
        return project;
    }

    /** The location of regional secrets, or {@code null} for global secrets. */
    public String location() {
        return location;
    }

    @Override
    public List<SecretMetadata> list() {
        ListSecretsRequest.Builder request = ListSecretsRequest.newBuilder().setParent(parent()).setPageSize(pageSize);
        if (filter != null) {
            request.setFilter(filter);
        }
        List<SecretMetadata> out = new ArrayList<>();
        try {
            for (Secret secret : client().listSecrets(request.build()).iterateAll()) {
                out.add(secretMetadata(secret));
            }
        } catch (ApiException e) {
            throw SecretManagerFailures.translate(id, null, SecretManagerCall.LIST_SECRETS, e);
        }
        out.sort(Comparator.comparing(SecretMetadata::name));
        return List.copyOf(out);
    }

    @Override
    public SecretMetadata describe(SecretReference reference) {
        return inspect(reference).metadata();
    }

    /**
     * Metadata of the referenced version (latest unless pinned) with its state, destroy time and the secret's
     * rotation schedule. Calls {@code GetSecret} and {@code GetSecretVersion}; never reads the value.
     *
     * @throws SecretStoreException as {@link #describe(SecretReference)}
     */
    public SecretManagerSecretDetails inspect(SecretReference reference) {
        String name = checkName(reference.name());
        String version = checkVersion(name, reference.version());
        Secret secret = call(name, SecretManagerCall.GET_SECRET, () -> client().getSecret(secretPath(name)));
        SecretVersion current;
        try {
            current = call(name, SecretManagerCall.GET_SECRET_VERSION,
                    () -> client().getSecretVersion(secretPath(name) + "/versions/" + version));
        } catch (SecretNotFoundException e) {
            throw e.namingVersion(reference.version());
        }
        SecretMetadata base = secretMetadata(secret);
        SecretMetadata metadata = new SecretMetadata(id, name, lastSegment(current.getName()),
                current.getState() == SecretVersion.State.ENABLED, instant(current.hasCreateTime(),
                current.getCreateTime()), null, null, base.expiresOn(), base.tags(), null);
        Instant nextRotation = secret.hasRotation() && secret.getRotation().hasNextRotationTime()
                ? instant(true, secret.getRotation().getNextRotationTime()) : null;
        Duration period = secret.hasRotation() && secret.getRotation().hasRotationPeriod()
                ? Duration.ofSeconds(secret.getRotation().getRotationPeriod().getSeconds(),
                        secret.getRotation().getRotationPeriod().getNanos())
                : null;
        return new SecretManagerSecretDetails(metadata, current.getState().name(),
                instant(current.hasDestroyTime(), current.getDestroyTime()), nextRotation, period);
    }

    @Override
    public List<SecretMetadata> versions(String secretName) {
        String name = checkName(secretName);
        ListSecretVersionsRequest request = ListSecretVersionsRequest.newBuilder()
                .setParent(secretPath(name)).setPageSize(pageSize).build();
        List<SecretMetadata> out = new ArrayList<>();
        call(name, SecretManagerCall.LIST_SECRET_VERSIONS, () -> {
            for (SecretVersion version : client().listSecretVersions(request).iterateAll()) {
                out.add(new SecretMetadata(id, name, lastSegment(version.getName()),
                        version.getState() == SecretVersion.State.ENABLED,
                        instant(version.hasCreateTime(), version.getCreateTime()), null, null, null, Map.of(), null));
            }
            return null;
        });
        out.sort(Comparator.comparing((SecretMetadata m) -> versionOrder(m.version())).reversed());
        return List.copyOf(out);
    }

    @Override
    public SecretValue fetch(SecretReference reference) {
        String name = checkName(reference.name());
        String version = checkVersion(name, reference.version());
        AccessSecretVersionResponse response;
        try {
            response = client().accessSecretVersion(secretPath(name) + "/versions/" + version);
        } catch (ApiException e) {
            SecretStoreException failure = explainAccessFailure(name, version, e);
            throw failure instanceof SecretNotFoundException notFound ? notFound.namingVersion(reference.version())
                    : failure;
        }
        byte[] data = response.getPayload().getData().toByteArray();
        try {
            if (response.getPayload().hasDataCrc32C()) {
                CRC32C crc = new CRC32C();
                crc.update(data);
                if (crc.getValue() != response.getPayload().getDataCrc32C()) {
                    throw new InvalidInputException(id, name, "the payload of version " + version
                            + " failed its CRC32C check; it was corrupted in transit, try again");
                }
            }
            SecretValue value = SecretValue.ofBytes(data);
            if (reference.property() == null) {
                return value;
            }
            try (value) {
                return JsonProperty.select(value, reference.property(), id, name);
            }
        } finally {
            Arrays.fill(data, (byte) 0);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (client != null) {
            client.close();
            client = null;
        }
    }

    @Override
    public String toString() {
        return "GoogleSecretManagerStore[" + id + ", " + parent() + "]";
    }

    private synchronized SecretManagerServiceClient client() {
        if (closed) {
            throw new IllegalStateException("store '" + id + "' is closed");
        }
        if (client == null) {
            try {
                client = SecretManagerServiceClient.create(settings.get());
            } catch (IOException e) {
                // The credential chain's messages name files and environment variables, never secrets.
                throw new MisconfiguredException(id, null, "cannot obtain Google credentials: " + oneLine(e)
                        + "; set credentialsFile or configure Application Default Credentials");
            }
        }
        return client;
    }

    /**
     * Secret Manager answers an access to a disabled or destroyed version with {@code FAILED_PRECONDITION}, which
     * the HTTP/JSON transport reports as {@code INVALID_ARGUMENT} (HTTP 400); a metadata call tells which it was.
     */
    private SecretStoreException explainAccessFailure(String name, String version, ApiException e) {
        StatusCode.Code code = e.getStatusCode().getCode();
        if (code == StatusCode.Code.FAILED_PRECONDITION || code == StatusCode.Code.INVALID_ARGUMENT) {
            try {
                SecretVersion state = client().getSecretVersion(secretPath(name) + "/versions/" + version);
                if (state.getState() != SecretVersion.State.ENABLED) {
                    return new SecretNotFoundException(id, name, "version " + lastSegment(state.getName()) + " is "
                            + state.getState() + "; enable it or pin another version");
                }
            } catch (ApiException ignored) {
                // fall through to the original failure, which is the one the caller asked about
            }
        }
        return SecretManagerFailures.translate(id, name, SecretManagerCall.ACCESS_SECRET_VERSION, e);
    }

    private <T> T call(String name, SecretManagerCall call, Supplier<T> body) {
        try {
            return body.get();
        } catch (ApiException e) {
            throw SecretManagerFailures.translate(id, name, call, e);
        }
    }

    private String parent() {
        return location == null ? "projects/" + project : "projects/" + project + "/locations/" + location;
    }

    private String secretPath(String name) {
        return parent() + "/secrets/" + name;
    }

    /**
     * Tags are the secret's annotations overlaid with its labels. Labels are what a server-side filter can select
     * on, but their values must be lower case, so a username or file name for the credential mapping
     * ({@code jenkins-credentials-username}) can be given as an annotation instead.
     */
    private SecretMetadata secretMetadata(Secret secret) {
        Map<String, String> tags = new TreeMap<>(secret.getAnnotationsMap());
        tags.putAll(secret.getLabelsMap());
        return new SecretMetadata(id, lastSegment(secret.getName()), null, true,
                instant(secret.hasCreateTime(), secret.getCreateTime()), null, null,
                instant(secret.hasExpireTime(), secret.getExpireTime()), tags, null);
    }

    private String checkName(String name) {
        if (!SECRET_ID.matcher(name).matches()) {
            throw new InvalidInputException(id, name, "not a Secret Manager secret id: expected 1 to 255 letters, "
                    + "digits, '_' or '-'");
        }
        return name;
    }

    private String checkVersion(String name, String version) {
        if (version == null) {
            return "latest";
        }
        if (!VERSION.matcher(version).matches()) {
            throw new InvalidInputException(id, name, "version '" + version + "' is not a version number, "
                    + "'latest' or an alias");
        }
        return version;
    }

    private static Logger quiet(String name) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(Level.SEVERE);
        return logger;
    }

    private static long versionOrder(String version) {
        try {
            return Long.parseLong(version);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String lastSegment(String resourceName) {
        return resourceName.substring(resourceName.lastIndexOf('/') + 1);
    }

    private static Instant instant(boolean present, Timestamp timestamp) {
        return present ? Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos()) : null;
    }

    private static String oneLine(Exception e) {
        String message = Objects.toString(e.getMessage(), e.getClass().getSimpleName());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static SecretManagerServiceSettings clientSettings(Builder b) {
        try {
            SecretManagerServiceSettings.Builder settings = SecretManagerServiceSettings.newHttpJsonBuilder();
            settings.setEndpoint(b.endpoint != null ? b.endpoint
                    : b.location != null ? "secretmanager." + b.location + ".rep.googleapis.com:443"
                    : SecretManagerServiceSettings.getDefaultEndpoint());
            settings.setCredentialsProvider(b.credentials != null ? b.credentials
                    : SecretManagerServiceSettings.defaultCredentialsProviderBuilder().build());
            RetrySettings retry = RetrySettings.newBuilder()
                    .setMaxAttempts(b.maxAttempts)
                    .setInitialRetryDelayDuration(b.retryDelay)
                    .setRetryDelayMultiplier(2.0)
                    .setMaxRetryDelayDuration(b.retryDelay.multipliedBy(8))
                    .setInitialRpcTimeoutDuration(b.timeout)
                    .setRpcTimeoutMultiplier(1.0)
                    .setMaxRpcTimeoutDuration(b.timeout)
                    .setTotalTimeoutDuration(b.timeout.multipliedBy(b.maxAttempts))
                    .build();
            for (UnaryCallSettings.Builder<?, ?> call : List.<UnaryCallSettings.Builder<?, ?>>of(
                    settings.getSecretSettings(), settings.getSecretVersionSettings(),
                    settings.accessSecretVersionSettings(), settings.listSecretsSettings(),
                    settings.listSecretVersionsSettings())) {
                call.setRetryableCodes(RETRYABLE).setRetrySettings(retry);
            }
            return settings.build();
        } catch (IOException e) {
            throw new StoreUnavailableException(b.id, null, "cannot build the Secret Manager client: " + oneLine(e));
        }
    }

    /**
     * Builds a {@link GoogleSecretManagerStore}. Only id and project are required.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private final String id;
        private final String project;
        private String location;
        private String endpoint;
        private String filter;
        private CredentialsProvider credentials;
        private int pageSize = 100;
        private int maxAttempts = 4;
        private Duration retryDelay = Duration.ofMillis(250);
        private Duration timeout = Duration.ofSeconds(30);

        private Builder(String id, String project) {
            this.id = Objects.requireNonNull(id, "id");
            this.project = Objects.requireNonNull(project, "project");
        }

        private Builder copy() {
            Builder b = new Builder(id, project);
            b.location = location;
            b.endpoint = endpoint;
            b.filter = filter;
            b.credentials = credentials;
            b.pageSize = pageSize;
            b.maxAttempts = maxAttempts;
            b.retryDelay = retryDelay;
            b.timeout = timeout;
            return b;
        }

        /** Regional secrets in this location; the client then talks to the regional endpoint. */
        public Builder location(String location) {
            this.location = location;
            return this;
        }

        /**
         * Overrides the endpoint: {@code host:port} (TLS) or a full {@code http://host:port} URL (tests against a
         * loopback server).
         */
        public Builder endpoint(String endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** A Secret Manager list filter such as {@code labels.team=platform}, applied by the server. */
        public Builder filter(String filter) {
            this.filter = filter;
            return this;
        }

        /** Where credentials come from; absent means Application Default Credentials. */
        public Builder credentials(CredentialsProvider credentials) {
            this.credentials = credentials;
            return this;
        }

        /** Secrets or versions per page when listing (1 to 25000). */
        public Builder pageSize(int pageSize) {
            this.pageSize = pageSize;
            return this;
        }

        /** Attempts per call, including the first, for retryable answers. */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** The first back-off delay; it doubles per attempt up to eight times this. */
        public Builder retryDelay(Duration retryDelay) {
            this.retryDelay = Objects.requireNonNull(retryDelay, "retryDelay");
            return this;
        }

        /** Timeout of one attempt. */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** The store; no network call is made until it is used. */
        public GoogleSecretManagerStore build() {
            return new GoogleSecretManagerStore(this);
        }
    }
}
