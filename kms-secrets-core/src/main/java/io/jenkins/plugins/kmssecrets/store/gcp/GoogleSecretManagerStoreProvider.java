package io.jenkins.plugins.kmssecrets.store.gcp;

import com.google.api.gax.core.CredentialsProvider;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.secretmanager.v1.SecretManagerServiceSettings;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretStoreProvider;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Type {@code google-secret-manager}. Settings: {@code project} (required), {@code location} (regional secrets),
 * {@code credentialsFile} (a service-account key or a workload identity federation credential configuration;
 * absent means Application Default Credentials), {@code filter} (server-side list filter), {@code endpoint},
 * {@code pageSize}, {@code maxAttempts}, {@code retryDelay} and {@code timeout}.
 *
 * @since 0.1.0
 */
public final class GoogleSecretManagerStoreProvider implements SecretStoreProvider {

    /** Google's client logging prints request and response payloads, so it must stay off for this process. */
    static final String SDK_LOGGING_ENV = "GOOGLE_SDK_JAVA_LOGGING";

    @Override
    public String type() {
        return GoogleSecretManagerStore.TYPE;
    }

    @Override
    public Set<String> settingKeys() {
        return Set.of("project", "location", "credentialsFile", "filter", "endpoint", "pageSize", "maxAttempts",
                "retryDelay", "timeout");
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
                .timeout(definition.duration("timeout", Duration.ofSeconds(30)));
        String file = definition.string("credentialsFile");
        if (file != null) {
            Path path = context.resolve(file);
            if (!Files.isReadable(path)) {
                throw new MisconfiguredException(definition.id(), null, "credentialsFile " + path
                        + " does not exist or is not readable");
            }
            builder.credentials(fromFile(definition.id(), path));
        }
        return builder.build();
    }

    /**
     * Credentials read from {@code path} when the client is first built: a service-account key, an authorized
     * user, or an {@code external_account} (workload identity federation) configuration. The operator chose the
     * file, so accepting every type is intended.
     */
    static CredentialsProvider fromFile(String storeId, Path path) {
        return () -> {
            try (InputStream in = Files.newInputStream(path)) {
                return GoogleCredentials.fromStream(in)
                        .createScoped(SecretManagerServiceSettings.getDefaultServiceScopes());
            } catch (IOException | RuntimeException e) {
                // Parse errors may quote the key file; say which file only.
                throw new MisconfiguredException(storeId, null, "credentialsFile " + path
                        + " is not a Google credentials JSON file (service account key or credential configuration)");
            }
        };
    }

    private static int range(StoreDefinition definition, String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new MisconfiguredException(definition.id(), null, "setting '" + key + "' must be between " + min
                    + " and " + max);
        }
        return value;
    }
}
