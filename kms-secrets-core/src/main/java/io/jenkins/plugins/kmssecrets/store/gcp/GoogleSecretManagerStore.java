package io.jenkins.plugins.kmssecrets.store.gcp;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.httpjson.InstantiatingHttpJsonChannelProvider;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.api.gax.rpc.UnaryCallSettings;
import com.google.auth.Credentials;
import com.google.cloud.secretmanager.v1.AccessSecretVersionResponse;
import com.google.cloud.secretmanager.v1.ListSecretVersionsRequest;
import com.google.cloud.secretmanager.v1.ListSecretsRequest;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretManagerServiceSettings;
import com.google.cloud.secretmanager.v1.SecretVersion;
import com.google.iam.v1.TestIamPermissionsRequest;
import com.google.protobuf.Timestamp;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.AccessDeniedException;
import io.jenkins.plugins.kmssecrets.store.ConcurrentCalls;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.JsonProperty;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.ReadAccess;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretNotFoundException;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.SecretWriter;
import io.jenkins.plugins.kmssecrets.store.WriteOptions;
import io.jenkins.plugins.kmssecrets.store.WrittenVersion;
import java.io.IOException;
import java.time.Clock;
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
import java.util.function.Function;
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
 *       {@code secretmanager.secrets.list}, and one {@code ListSecretVersions} of one entry per secret (the newest
 *       version, whose state says whether the secret is usable), {@code secretmanager.versions.list};</li>
 *   <li>{@link #describe(SecretReference)}: {@code GetSecret} and {@code GetSecretVersion},
 *       {@code secretmanager.secrets.get} and {@code secretmanager.versions.get};</li>
 *   <li>{@link #versions(String)}: {@code ListSecretVersions}, {@code secretmanager.versions.list};</li>
 *   <li>{@link #mayAccessValue(String)} and {@link #readAccess(SecretReference)}: {@code TestIamPermissions} on the
 *       secret, no permission needed;</li>
 *   <li>{@link #fetch(SecretReference)}: {@code AccessSecretVersion}, {@code secretmanager.versions.access}
 *       ({@code roles/secretmanager.secretAccessor}), the only call that reads a value.</li>
 * </ul>
 * {@code roles/secretmanager.viewer} covers every method but {@code fetch}. {@code UNAVAILABLE} and
 * {@code RESOURCE_EXHAUSTED} answers are retried up to {@code maxAttempts} attempts with exponential back-off, never
 * sooner than the service asks ({@code Retry-After}, {@code RetryInfo}); the client's own retries are off.
 *
 * <p>Sign-in: with OAuth credentials (a service-account key, workload identity federation, the metadata server) the
 * store obtains a token before its first call, bounded by {@code timeout}. A rejected key, an unknown account, an
 * unreachable or silent token endpoint, and an API that keeps answering 401 after one re-authentication are reported
 * as {@link io.jenkins.plugins.kmssecrets.store.SignInFailedException}, naming the endpoint and the OAuth error code.
 * After a sign-in failure, a connection failure, a time-out or an exhausted retry budget, the store's other calls fail
 * at once with the same reason for {@link SecretManagerCaller#OUTAGE_MEMORY}: a store that is down costs one bounded
 * wait per run, not one per secret.
 *
 * <p>The client is built on first use, so building the store never touches the network or the credential chain.
 *
 * @since 0.1.0
 */
public final class GoogleSecretManagerStore implements SecretWriter {

    /** The store type name used in manifests. */
    public static final String TYPE = "google-secret-manager";

    private static final Pattern SECRET_ID = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9_-]{1,63}");
    /** Secrets whose newest version is looked up at once when listing. */
    private static final int LIST_PARALLELISM = 8;

    /**
     * Conscrypt is excluded from the class path on purpose (7 MiB); without this the HTTP/JSON transport logs a
     * warning with a stack trace on every first connection before falling back to the JDK's TLS. Held in a field
     * because java.util.logging keeps loggers only weakly.
     */
    private static final Logger CONSCRYPT_PROBE = quiet("com.google.api.gax.httpjson.HttpJsonConscryptUtils");
    /**
     * google-http-client logs every request's headers (the bearer token) and response bodies (secret payloads) at
     * {@code CONFIG} on this logger. A filter drops everything below {@code INFO}, whatever level the logger, a parent
     * or the root is given later (for example to debug something else).
     */
    private static final Logger HTTP_TRANSPORT_LOG = belowInfoDropped("com.google.api.client.http.HttpTransport");
    /**
     * The JDK connection under that transport logs request headers (the bearer token) at {@code FINE}: dropped the
     * same way.
     */
    private static final Logger URL_CONNECTION_LOG =
            belowInfoDropped("sun.net.www.protocol.http.HttpURLConnection");

    private final String id;
    private final String project;
    private final String location;
    private final String filter;
    private final int pageSize;
    private final Builder settings;
    private final SecretManagerCaller caller;
    private SecretManagerServiceClient client;
    private SignInCredentials signIn;
    private boolean closed;

    private GoogleSecretManagerStore(Builder builder) {
        this.id = builder.id;
        this.project = builder.project;
        this.location = builder.location;
        this.filter = builder.filter;
        this.pageSize = builder.pageSize;
        this.settings = builder.copy();
        this.caller = new SecretManagerCaller(id, endpointOf(settings), builder.maxAttempts, builder.retryDelay,
                builder.timeout, builder.sleeper, builder.clock, builder.trustRemedy);
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
        List<Secret> secrets = call(null, SecretManagerCall.LIST_SECRETS, () -> {
            List<Secret> page = new ArrayList<>();
            boolean first = true;
            for (var listed : client().listSecrets(request.build()).iteratePages()) {
                if (!first) {
                    caller.countExtraRequest();
                }
                first = false;
                listed.getValues().forEach(page::add);
            }
            return page;
        });
        List<SecretMetadata> out = new ArrayList<>(ConcurrentCalls.map(secrets, LIST_PARALLELISM, this::withNewestVersion));
        out.sort(Comparator.comparing(SecretMetadata::name));
        return List.copyOf(out);
    }

    /**
     * The secret's metadata with its newest version (what {@code latest} names): its number, creation time as the
     * update time, and whether it is enabled. A secret without versions, or whose newest version is disabled or
     * destroyed, is listed as not enabled. When the identity may not list versions, the secret is listed as the
     * secret resource says (enabled, no version).
     */
    private SecretMetadata withNewestVersion(Secret secret) {
        SecretMetadata base = secretMetadata(secret);
        ListSecretVersionsRequest request = ListSecretVersionsRequest.newBuilder()
                .setParent(secret.getName()).setPageSize(1).build();
        SecretVersion newest;
        try {
            newest = call(base.name(), SecretManagerCall.LIST_SECRET_VERSIONS, () -> {
                for (SecretVersion version : client().listSecretVersions(request).getPage().getValues()) {
                    return version;
                }
                return null;
            });
        } catch (AccessDeniedException | SecretNotFoundException e) {
            // not allowed to list versions, or deleted since it was listed: as the secret resource says
            return base;
        }
        if (newest == null) {
            return new SecretMetadata(id, base.name(), null, false, base.created(), null, null, base.expiresOn(),
                    base.tags(), null);
        }
        return SecretMetadata.of(id, base.name(), lastSegment(newest.getName()), state(newest.getState()),
                base.created(), instant(newest.hasCreateTime(), newest.getCreateTime()), null, base.expiresOn(),
                base.tags(), null);
    }

    @Override
    public SecretMetadata describe(SecretReference reference) {
        return inspect(reference).metadata();
    }

    /** A version's state as kms-secrets names it. */
    private static SecretMetadata.State state(SecretVersion.State state) {
        return switch (state) {
            case ENABLED -> SecretMetadata.State.ENABLED;
            case DESTROYED -> SecretMetadata.State.DESTROYED;
            default -> SecretMetadata.State.DISABLED;
        };
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
        Secret secret = call(label(name, reference.version()), SecretManagerCall.GET_SECRET,
                () -> client().getSecret(secretPath(name)));
        SecretVersion current = call(label(name, reference.version()), SecretManagerCall.GET_SECRET_VERSION,
                () -> client().getSecretVersion(secretPath(name) + "/versions/" + version));
        SecretMetadata base = secretMetadata(secret);
        // A version is immutable: its creation is when the value the reference names was last updated.
        Instant versionCreated = instant(current.hasCreateTime(), current.getCreateTime());
        SecretMetadata metadata = SecretMetadata.of(id, name, lastSegment(current.getName()),
                state(current.getState()), versionCreated, versionCreated, null, base.expiresOn(), base.tags(), null);
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
                Instant created = instant(version.hasCreateTime(), version.getCreateTime());
                out.add(SecretMetadata.of(id, name, lastSegment(version.getName()), state(version.getState()),
                        created, created, null, null, Map.of(), null));
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
        String label = label(name, reference.version());
        AccessSecretVersionResponse response = caller.run(label, SecretManagerCall.ACCESS_SECRET_VERSION, signIn(),
                () -> client().accessSecretVersion(secretPath(name) + "/versions/" + version),
                e -> explainAccessFailure(name, label, version, e));
        byte[] data = response.getPayload().getData().toByteArray();
        try {
            if (response.getPayload().hasDataCrc32C()) {
                CRC32C crc = new CRC32C();
                crc.update(data);
                if (crc.getValue() != response.getPayload().getDataCrc32C()) {
                    throw new InvalidInputException(id, label, "the payload of version " + version
                            + " failed its CRC32C check; it was corrupted in transit, try again");
                }
            }
            SecretValue value = SecretValue.ofBytes(data);
            if (reference.property() == null) {
                return value;
            }
            try (value) {
                return JsonProperty.select(value, reference.property(), id, label);
            }
        } finally {
            Arrays.fill(data, (byte) 0);
        }
    }

    /** Secret Manager keeps every version until it is destroyed: rollback works. */
    @Override
    public boolean keepsVersions() {
        return true;
    }

    /**
     * Adds a version holding {@code value} (with its CRC32C, which Secret Manager verifies); with a property, the
     * latest version's JSON value is read and only that property replaced. With
     * {@link WriteOptions#disablePrevious()}, the version that was latest is then disabled. Secret Manager has no
     * conditional add: a concurrent writer is not detected.
     *
     * <p>Calls: {@code GetSecretVersion} of {@code latest} ({@code secretmanager.versions.get}), with a property
     * {@code AccessSecretVersion} ({@code secretmanager.versions.access}), {@code AddSecretVersion}
     * ({@code secretmanager.versions.add}, {@code roles/secretmanager.secretVersionAdder}) and, to disable,
     * {@code DisableSecretVersion} ({@code secretmanager.versions.disable},
     * {@code roles/secretmanager.secretVersionManager}).
     */
    @Override
    public WrittenVersion write(SecretReference reference, SecretValue value, WriteOptions options) {
        String name = checkName(reference.name());
        if (reference.version() != null) {
            throw new InvalidInputException(id, name, "a new version is added after the latest one; drop '@"
                    + reference.version() + "'");
        }
        if (value.length() > 64 * 1024) {
            throw new InvalidInputException(id, name, "the new value is larger than Secret Manager's 64 KiB limit");
        }
        String previous;
        try {
            previous = lastSegment(call(name, SecretManagerCall.GET_SECRET_VERSION,
                    () -> client().getSecretVersion(secretPath(name) + "/versions/latest")).getName());
        } catch (SecretNotFoundException e) {
            if (reference.property() != null) {
                throw e;
            }
            previous = null; // a secret without versions yet: the first one is written
        }
        SecretValue written;
        if (reference.property() == null) {
            written = value.copy();
        } else {
            try (SecretValue document = fetch(new SecretReference(reference.storeId(), name, previous, null))) {
                written = JsonProperty.replace(document, reference.property(), value, id, name);
            }
        }
        com.google.cloud.secretmanager.v1.SecretVersion added;
        byte[] bytes = written.bytes();
        try (written) {
            CRC32C crc = new CRC32C();
            crc.update(bytes);
            com.google.cloud.secretmanager.v1.SecretPayload payload = com.google.cloud.secretmanager.v1.SecretPayload
                    .newBuilder().setData(com.google.protobuf.ByteString.copyFrom(bytes))
                    .setDataCrc32C(crc.getValue()).build();
            // Retried only after RESOURCE_EXHAUSTED (a quota refusal, nothing written): after UNAVAILABLE the
            // version may exist already, and a second one would hide it.
            java.util.concurrent.atomic.AtomicReference<String> mayBeApplied =
                    new java.util.concurrent.atomic.AtomicReference<>();
            added = call(name, SecretManagerCall.ADD_SECRET_VERSION, () -> {
                if (mayBeApplied.get() != null) {
                    throw new io.jenkins.plugins.kmssecrets.store.StoreUnavailableException(id, name,
                            "AddSecretVersion failed with " + mayBeApplied.get() + " and may have been applied; not "
                            + "retried: look at the secret's versions before rotating again");
                }
                try {
                    return client().addSecretVersion(secretPath(name), payload);
                } catch (ApiException e) {
                    if (e.getStatusCode().getCode() != StatusCode.Code.RESOURCE_EXHAUSTED) {
                        mayBeApplied.set(e.getStatusCode().getCode().name());
                    }
                    throw e;
                }
            });
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
        String newVersion = lastSegment(added.getName());
        boolean disabled = false;
        if (options.disablePrevious() && previous != null && !previous.equals(newVersion)) {
            String old = secretPath(name) + "/versions/" + previous;
            call(label(name, previous), SecretManagerCall.DISABLE_SECRET_VERSION,
                    () -> client().disableSecretVersion(
                            com.google.cloud.secretmanager.v1.DisableSecretVersionRequest.newBuilder().setName(old)
                                    .build()));
            disabled = true;
        }
        return new WrittenVersion(id, name, reference.property(), previous, newVersion, disabled, null);
    }

    /**
     * Whether the store's identity holds {@code secretmanager.versions.access} on the secret, asked with
     * {@code TestIamPermissions} (which needs no permission and reads no value). Predicts whether
     * {@link #fetch(SecretReference)} would be allowed; the version may still be disabled or destroyed.
     *
     * @throws SecretStoreException when the question could not be asked (not found, unreachable, sign-in failed)
     */
    public boolean mayAccessValue(String secretName) {
        String name = checkName(secretName);
        String permission = SecretManagerCall.ACCESS_SECRET_VERSION.permission();
        return call(name, SecretManagerCall.TEST_IAM_PERMISSIONS, () -> client().testIamPermissions(
                TestIamPermissionsRequest.newBuilder().setResource(secretPath(name)).addPermissions(permission)
                        .build())).getPermissionsList().contains(permission);
    }

    /**
     * {@link ReadAccess#READABLE} or {@link ReadAccess#NOT_READABLE} as {@link #mayAccessValue(String)} answers;
     * {@link ReadAccess#NOT_VERIFIED} when the question could not be asked.
     */
    @Override
    public ReadAccess readAccess(SecretReference reference) {
        try {
            return mayAccessValue(reference.name()) ? ReadAccess.READABLE : ReadAccess.NOT_READABLE;
        } catch (SecretStoreException e) {
            return ReadAccess.NOT_VERIFIED;
        }
    }

    /**
     * Requests this store sent so far: {@code api} (to Secret Manager, retries and re-sent requests included) and
     * {@code sign-in} (token requests), for {@code exec --verbose}. Counts only.
     */
    public Map<String, Long> requestCounts() {
        SignInCredentials credentials;
        synchronized (this) {
            credentials = signIn;
        }
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        counts.put("api", caller.requests() + (credentials == null ? 0 : credentials.resent()));
        counts.put("sign-in", credentials == null ? 0 : credentials.signIns());
        return counts;
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
            Credentials credentials;
            try {
                credentials = credentialsProvider(settings).getCredentials();
            } catch (IOException e) {
                // The credential chain's messages name files and environment variables, never secrets.
                throw new MisconfiguredException(id, null, "cannot obtain Google credentials: " + oneLine(e)
                        + "; set credentialsFile or configure Application Default Credentials");
            }
            Credentials bounded = credentials == null ? null : SignInCredentials.wrap(credentials, settings.timeout,
                    settings.trustRemedy.equals(io.jenkins.plugins.kmssecrets.store.CaBundle.REMEDY_WITHOUT_BUNDLE)
                            ? null : settings.trustRemedy);
            try {
                client = SecretManagerServiceClient.create(clientSettings(settings, bounded));
            } catch (IOException e) {
                throw new MisconfiguredException(id, null, "cannot build the Secret Manager client: " + oneLine(e));
            }
            signIn = bounded instanceof SignInCredentials oauth ? oauth : null;
        }
        return client;
    }

    /** The credentials of the client, once it is built; {@code null} when they are not OAuth credentials. */
    private SignInCredentials signIn() {
        client();
        synchronized (this) {
            return signIn;
        }
    }

    /**
     * Secret Manager answers an access to a disabled or destroyed version with {@code FAILED_PRECONDITION}, which
     * the HTTP/JSON transport reports as {@code INVALID_ARGUMENT} (HTTP 400); a metadata call tells which it was.
     */
    private SecretStoreException explainAccessFailure(String name, String label, String version, ApiException e) {
        StatusCode.Code code = e.getStatusCode().getCode();
        if (code == StatusCode.Code.FAILED_PRECONDITION || code == StatusCode.Code.INVALID_ARGUMENT) {
            try {
                SecretVersion state = client().getSecretVersion(secretPath(name) + "/versions/" + version);
                if (state.getState() == SecretVersion.State.DESTROYED) {
                    return new SecretNotFoundException(id, label, "version " + lastSegment(state.getName())
                            + " is DESTROYED: its value is gone for good; pin another version or add a new one");
                }
                if (state.getState() != SecretVersion.State.ENABLED) {
                    return new SecretNotFoundException(id, label, "version " + lastSegment(state.getName()) + " is "
                            + state.getState() + "; enable it or pin another version");
                }
            } catch (ApiException ignored) {
                // fall through to the original failure, which is the one the caller asked about
            }
        }
        return SecretManagerFailures.translate(id, label, SecretManagerCall.ACCESS_SECRET_VERSION, e);
    }

    private <T> T call(String label, SecretManagerCall call, Supplier<T> body) {
        Function<ApiException, SecretStoreException> translate =
                e -> SecretManagerFailures.translate(id, label, call, e);
        return caller.run(label, call, signIn(), body, translate);
    }

    /** How errors name a reference: the secret, with its version or alias when one is pinned. */
    private static String label(String name, String version) {
        return version == null ? name : name + "@" + version;
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

    private static Logger belowInfoDropped(String name) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(Level.INFO);
        logger.setFilter(record -> record.getLevel().intValue() >= Level.INFO.intValue());
        return logger;
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

    private static String endpointOf(Builder b) {
        return b.endpoint != null ? b.endpoint
                : b.location != null ? "secretmanager." + b.location + ".rep.googleapis.com:443"
                : SecretManagerServiceSettings.getDefaultEndpoint();
    }

    private static CredentialsProvider credentialsProvider(Builder b) {
        return b.credentials != null ? b.credentials
                : SecretManagerServiceSettings.defaultCredentialsProviderBuilder().build();
    }

    /**
     * One attempt per client call, bounded by the timeout: retries are the caller's, which honours what the server
     * asks for and counts attempts.
     */
    private static SecretManagerServiceSettings clientSettings(Builder b, Credentials credentials) throws IOException {
        SecretManagerServiceSettings.Builder settings = SecretManagerServiceSettings.newHttpJsonBuilder();
        settings.setEndpoint(endpointOf(b));
        // Each call names its caller (User-Agent, X-Goog-Request-Reason), read when the call starts.
        InstantiatingHttpJsonChannelProvider.Builder channel = SecretManagerServiceSettings
                .defaultHttpJsonTransportProviderBuilder()
                .setInterceptorProvider(() -> List.of(new SecretManagerAuditInterceptor()));
        if (b.httpTransport != null) {
            channel.setHttpTransport(b.httpTransport); // proxy and CA bundle
        }
        settings.setTransportChannelProvider(channel.build());
        settings.setCredentialsProvider(FixedCredentialsProvider.create(credentials));
        RetrySettings once = RetrySettings.newBuilder()
                .setMaxAttempts(1)
                .setInitialRpcTimeoutDuration(b.timeout)
                .setRpcTimeoutMultiplier(1.0)
                .setMaxRpcTimeoutDuration(b.timeout)
                .setTotalTimeoutDuration(b.timeout)
                .build();
        for (UnaryCallSettings.Builder<?, ?> call : List.<UnaryCallSettings.Builder<?, ?>>of(
                settings.getSecretSettings(), settings.getSecretVersionSettings(),
                settings.accessSecretVersionSettings(), settings.listSecretsSettings(),
                settings.listSecretVersionsSettings(), settings.testIamPermissionsSettings())) {
            call.setRetryableCodes(Set.of()).setRetrySettings(once);
        }
        return settings.build();
    }

    /** {@code 250 ms}, {@code 10 s}, {@code 2 min}: a duration for messages. */
    static String text(Duration duration) {
        if (duration.toMillis() < 1000) {
            return duration.toMillis() + " ms";
        }
        if (duration.getSeconds() < 120 || duration.getSeconds() % 60 != 0) {
            long millis = duration.toMillis();
            return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s",
                    millis / 1000.0);
        }
        return duration.toMinutes() + " min";
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
        private Duration timeout = Duration.ofSeconds(10);
        private SecretManagerCaller.Sleeper sleeper = duration -> Thread.sleep(duration.toMillis());
        private Clock clock = Clock.systemUTC();
        private com.google.api.client.http.HttpTransport httpTransport;
        private String trustRemedy = io.jenkins.plugins.kmssecrets.store.CaBundle.REMEDY_WITHOUT_BUNDLE;

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
            b.sleeper = sleeper;
            b.clock = clock;
            b.httpTransport = httpTransport;
            b.trustRemedy = trustRemedy;
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

        /**
         * The first back-off delay; it doubles per attempt up to eight times this. A longer pause asked for by the
         * service ({@code Retry-After}, {@code RetryInfo}) wins.
         */
        public Builder retryDelay(Duration retryDelay) {
            this.retryDelay = Objects.requireNonNull(retryDelay, "retryDelay");
            return this;
        }

        /**
         * Bound of one attempt, and of signing in: how long a silent endpoint (API or token endpoint) is waited for
         * (default 10 s). Other calls of the store then fail at once with the same reason.
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How the store waits between attempts (tests record the pauses instead). */
        Builder sleeper(SecretManagerCaller.Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /**
         * The HTTP transport of the API calls (a proxy, a CA bundle); default the client's own. Signing in uses
         * what the {@link #credentials} were built with.
         *
         * @since 0.3.0
         */
        public Builder httpTransport(com.google.api.client.http.HttpTransport httpTransport) {
            this.httpTransport = httpTransport;
            return this;
        }

        /** What an untrusted server certificate tells to set: {@code caCertFile (now <file>)}, or the JVM's store. */
        Builder trustRemedy(String trustRemedy) {
            this.trustRemedy = Objects.requireNonNull(trustRemedy, "trustRemedy");
            return this;
        }

        /** The clock outage memory is measured with. */
        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The store; no network call is made until it is used. */
        public GoogleSecretManagerStore build() {
            return new GoogleSecretManagerStore(this);
        }
    }
}
