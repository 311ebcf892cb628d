package io.jenkins.plugins.kmssecrets.store.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.gax.core.CredentialsProvider;
import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.secretmanager.v1.SecretManagerServiceSettings;
import io.jenkins.plugins.kmssecrets.store.CaBundle;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.ProxySetting;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretStoreProvider;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Authenticator;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Type {@code google-secret-manager}. Settings: {@code project} (required), {@code location} (regional secrets),
 * {@code credentialsFile} (a service-account key or a workload identity federation credential configuration;
 * absent means Application Default Credentials), {@code credentialsJsonEnv} (the name of an environment variable
 * holding such JSON in memory, for callers that hold it as a secret, such as a Jenkins credential; only
 * {@code service_account} and {@code external_account} JSON is accepted there), {@code filter} (server-side list
 * filter), {@code endpoint},
 * {@code pageSize}, {@code maxAttempts}, {@code retryDelay} and {@code timeout}; {@code caCertFile} ({@link CaBundle})
 * and the proxy settings ({@link ProxySetting}), which apply to the API and to signing in; {@code auth}: {@code default}
 * (Google's credential chain, which ends at the metadata server) or {@code adc} (only the Application Default
 * Credentials file that {@code gcloud auth application-default login} writes, see
 * {@link ApplicationDefaultCredentialsFile}; never the metadata server).
 *
 * @since 0.1.0
 */
public final class GoogleSecretManagerStoreProvider implements SecretStoreProvider {

    /** Google's client logging prints request and response payloads, so it must stay off for this process. */
    static final String SDK_LOGGING_ENV = "GOOGLE_SDK_JAVA_LOGGING";
    /** The setting naming the environment variable that holds credentials JSON. */
    static final String CREDENTIALS_JSON_ENV = "credentialsJsonEnv";
    /** The setting choosing how the store signs in when no credentials are given: {@code default} or {@code adc}. */
    static final String AUTH = "auth";
    /** Credential types accepted from memory: no user credentials, nothing that runs a command without consent. */
    private static final Set<String> IN_MEMORY_TYPES = Set.of("service_account", "external_account");
    /** A service-account key is about 2.4 kB; anything far larger is not one. */
    private static final int MAX_CREDENTIALS_JSON = 64 * 1024;

    @Override
    public String type() {
        return GoogleSecretManagerStore.TYPE;
    }

    @Override
    public Set<String> settingKeys() {
        return Set.of("project", "location", "credentialsFile", CREDENTIALS_JSON_ENV, "filter", "endpoint",
                "pageSize", "maxAttempts", "retryDelay", "timeout", AUTH, CaBundle.SETTING, "proxyHost", "proxyPort",
                "proxyUser", "proxyPasswordEnv", "proxyPasswordFile", "noProxyHosts");
    }

    @Override
    public SecretStore create(StoreDefinition definition, StoreContext context) {
        if ("true".equalsIgnoreCase(context.env(SDK_LOGGING_ENV))) {
            throw new MisconfiguredException(definition.id(), null, SDK_LOGGING_ENV + "=true makes the Google "
                    + "client log secret payloads; unset it");
        }
        GoogleSecretManagerStore.Builder builder = GoogleSecretManagerStore
                .builder(definition.id(), definition.requiredString("project"))
                .location(definition.string("location"))
                .endpoint(definition.string("endpoint"))
                .filter(definition.string("filter"))
                .pageSize(range(definition, "pageSize", definition.integer("pageSize", 100), 1, 25000))
                .maxAttempts(range(definition, "maxAttempts", definition.integer("maxAttempts", 4), 1, 10))
                .retryDelay(definition.duration("retryDelay", Duration.ofMillis(250)))
                .timeout(definition.duration("timeout", Duration.ofSeconds(10)));
        HttpTransport transport = transport(definition, context, builder);
        HttpTransportFactory factory = transport == null ? null : () -> transport;
        String file = definition.string("credentialsFile");
        String variable = definition.string(CREDENTIALS_JSON_ENV);
        if (file != null && variable != null) {
            throw new MisconfiguredException(definition.id(), null, "set either credentialsFile or "
                    + CREDENTIALS_JSON_ENV + ", not both");
        }
        String auth = definition.string(AUTH, "default").trim();
        if (!"default".equals(auth) && !"adc".equals(auth)) {
            throw new MisconfiguredException(definition.id(), null, "setting 'auth' must be default or adc, not '"
                    + auth + "'");
        }
        if ("adc".equals(auth)) {
            if (file != null || variable != null) {
                throw new MisconfiguredException(definition.id(), null, "auth 'adc' reads the Application Default "
                        + "Credentials file; it does not go with credentialsFile or " + CREDENTIALS_JSON_ENV);
            }
            builder.credentials(ApplicationDefaultCredentialsFile.provider(definition.id(), context.environment(),
                    context.baseDirectory(), factory));
        }
        if (variable != null) {
            builder.credentials(fromEnvironment(definition.id(), variable, context.env(variable), factory));
        }
        if (file != null) {
            Path path = context.resolve(file);
            if (!Files.isReadable(path)) {
                throw new MisconfiguredException(definition.id(), null, "credentialsFile " + path
                        + " does not exist or is not readable");
            }
            builder.credentials(fromFile(definition.id(), path, factory));
        }
        if (factory != null && file == null && variable == null && "default".equals(auth)) {
            // Google's credential chain, signing in over the same proxy and CA bundle as the API calls.
            builder.credentials(() -> GoogleCredentials.getApplicationDefault(factory)
                    .createScoped(SecretManagerServiceSettings.getDefaultServiceScopes()));
        }
        return builder.build();
    }

    /**
     * Credentials read from {@code path} when the client is first built: a service-account key, an authorized
     * user, or an {@code external_account} (workload identity federation) configuration. The operator chose the
     * file, so accepting every type is intended.
     */
    static CredentialsProvider fromFile(String storeId, Path path, HttpTransportFactory transport) {
        return () -> {
            try (InputStream in = Files.newInputStream(path)) {
                return (transport == null ? GoogleCredentials.fromStream(in)
                        : GoogleCredentials.fromStream(in, transport))
                        .createScoped(SecretManagerServiceSettings.getDefaultServiceScopes());
            } catch (IOException | RuntimeException e) {
                // Parse errors may quote the key file; say which file only.
                throw new MisconfiguredException(storeId, null, "credentialsFile " + path
                        + " is not a Google credentials JSON file (service account key or credential configuration)");
            }
        };
    }

    /**
     * Credentials from JSON held in the environment variable {@code variable}, checked now so a wrong credential
     * fails when the store is configured. Messages name the variable and at most the credential type, never the
     * content.
     */
    static CredentialsProvider fromEnvironment(String storeId, String variable, String json) {
        return fromEnvironment(storeId, variable, json, null);
    }

    /** As {@link #fromEnvironment(String, String, String)}, signing in over {@code transport} when not null. */
    static CredentialsProvider fromEnvironment(String storeId, String variable, String json,
            HttpTransportFactory transport) {
        if (json == null || json.isBlank()) {
            throw new MisconfiguredException(storeId, null, CREDENTIALS_JSON_ENV + " names " + variable
                    + ", which is not set or empty");
        }
        if (json.length() > MAX_CREDENTIALS_JSON) {
            throw new MisconfiguredException(storeId, null, variable + " holds more than " + MAX_CREDENTIALS_JSON / 1024
                    + " KiB; it is not a Google credentials JSON");
        }
        String type;
        try {
            JsonNode tree = new ObjectMapper().readTree(json);
            type = tree != null && tree.path("type").isTextual() ? tree.path("type").asText() : null;
        } catch (IOException e) {
            type = null;
        }
        if (type == null) {
            throw new MisconfiguredException(storeId, null, variable + " does not hold a Google credentials JSON "
                    + "(a JSON object with a \"type\")");
        }
        if (!IN_MEMORY_TYPES.contains(type)) {
            String shown = type.matches("[a-z_]{1,40}") ? "'" + type + "'" : "an unknown";
            throw new MisconfiguredException(storeId, null, variable + " holds " + shown + " credential; only "
                    + "service_account keys and external_account (workload identity federation) configurations "
                    + "are accepted");
        }
        GoogleCredentials credentials;
        try {
            ByteArrayInputStream in = new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
            credentials = (transport == null ? GoogleCredentials.fromStream(in)
                    : GoogleCredentials.fromStream(in, transport))
                    .createScoped(SecretManagerServiceSettings.getDefaultServiceScopes());
        } catch (IOException | RuntimeException e) {
            // The parser's messages may quote the key; name the variable only.
            throw new MisconfiguredException(storeId, null, variable + " holds a " + type
                    + " credential that Google's library cannot use");
        }
        return () -> credentials;
    }

    /**
     * The HTTP transport of the API and sign-in requests when {@code caCertFile} or a proxy is set (a
     * {@link NetHttpTransport} whose connections go through {@link ProxySetting#proxyFor}), else {@code null}: the
     * client's default transport.
     */
    private static HttpTransport transport(StoreDefinition definition, StoreContext context,
            GoogleSecretManagerStore.Builder builder) {
        ProxySetting proxy = ProxySetting.from(definition, context);
        String ca = definition.string(CaBundle.SETTING);
        CaBundle bundle = ca == null || ca.isBlank() ? null : CaBundle.load(definition.id(), context.resolve(ca.trim()));
        if (proxy == null && bundle == null) {
            return null;
        }
        NetHttpTransport.Builder transport = new NetHttpTransport.Builder();
        if (bundle != null) {
            transport.setSslSocketFactory(bundle.sslContext().getSocketFactory());
            builder.trustRemedy(bundle.remedy());
        }
        if (proxy != null) {
            Authenticator authenticator = proxy.authenticator();
            transport.setConnectionFactory(url -> {
                HttpURLConnection connection = (HttpURLConnection) url.openConnection(proxy.proxyFor(url.getHost()));
                if (authenticator != null) {
                    connection.setAuthenticator(authenticator);
                }
                return connection;
            });
        }
        NetHttpTransport built = transport.build();
        builder.httpTransport(built);
        return built;
    }

    private static int range(StoreDefinition definition, String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new MisconfiguredException(definition.id(), null, "setting '" + key + "' must be between " + min
                    + " and " + max);
        }
        return value;
    }
}
