package io.jenkins.plugins.kmssecrets.store.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.gax.core.CredentialsProvider;
import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.ExternalAccountCredentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.auth.oauth2.UserCredentials;
import com.google.cloud.secretmanager.v1.SecretManagerServiceSettings;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * The Application Default Credentials <em>file</em>, found where gcloud and Google's libraries look for it, and loaded
 * explicitly: {@code GOOGLE_APPLICATION_CREDENTIALS}, else {@code $CLOUDSDK_CONFIG/application_default_credentials.json},
 * else {@code $HOME/.config/gcloud/application_default_credentials.json} (on Windows
 * {@code %APPDATA%\gcloud\application_default_credentials.json}). {@code gcloud auth application-default login} writes
 * the last one. Unlike {@code GoogleCredentials.getApplicationDefault()}, nothing else is tried: no metadata server,
 * no well-known Compute Engine probe. Locations come from the environment handed in (never {@code user.home}), so
 * tests and the Jenkins plugin decide what "home" is.
 *
 * <p>Accepted types: {@code authorized_user} (the refresh token gcloud stores for a user), {@code service_account},
 * {@code external_account} (workload identity federation) and {@code impersonated_service_account} (written by
 * {@code gcloud auth application-default login --impersonate-service-account}). Messages name the file and its type,
 * never a field's value: the file holds a refresh token or a private key.
 *
 * @since 0.2.0
 */
public final class ApplicationDefaultCredentialsFile {

    /** The file name gcloud writes in its configuration directory. */
    public static final String FILE_NAME = "application_default_credentials.json";
    /** The command that writes the file for a user. */
    public static final String LOGIN_COMMAND = "gcloud auth application-default login";
    static final Set<String> TYPES = Set.of("authorized_user", "service_account", "external_account",
            "impersonated_service_account");
    private static final int MAX_BYTES = 64 * 1024;

    /**
     * Where the file is expected and which rule chose it.
     *
     * @param path   the file (it may not exist)
     * @param source {@code GOOGLE_APPLICATION_CREDENTIALS}, {@code CLOUDSDK_CONFIG}, {@code HOME} or {@code APPDATA}
     * @since 0.2.0
     */
    public record Location(Path path, String source) {
    }

    private ApplicationDefaultCredentialsFile() {
    }

    /**
     * Where the ADC file is for this environment, or {@code null} when none of the variables that name it is set.
     *
     * @param environment the environment variables to consult ({@code GOOGLE_APPLICATION_CREDENTIALS},
     *                    {@code CLOUDSDK_CONFIG}, {@code HOME}, {@code APPDATA})
     * @param base        relative paths resolve against this directory
     */
    public static Location locate(Map<String, String> environment, Path base) {
        String explicit = environment.get("GOOGLE_APPLICATION_CREDENTIALS");
        if (explicit != null && !explicit.isBlank()) {
            return new Location(base.resolve(explicit.trim()).normalize(), "GOOGLE_APPLICATION_CREDENTIALS");
        }
        String config = environment.get("CLOUDSDK_CONFIG");
        if (config != null && !config.isBlank()) {
            return new Location(base.resolve(config.trim()).resolve(FILE_NAME).normalize(), "CLOUDSDK_CONFIG");
        }
        String home = environment.get("HOME");
        if (home != null && !home.isBlank()) {
            return new Location(Path.of(home, ".config", "gcloud", FILE_NAME), "HOME");
        }
        String appData = environment.get("APPDATA");
        return appData == null || appData.isBlank() ? null
                : new Location(Path.of(appData, "gcloud", FILE_NAME), "APPDATA");
    }

    /**
     * The file's {@code type} field ({@code authorized_user}, ...), or {@code null} when it cannot be read or is not a
     * JSON object with a type. Reads nothing else out of the file.
     */
    public static String type(Path file) {
        byte[] bytes = null;
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) {
                return null;
            }
            bytes = Files.readAllBytes(file);
            JsonNode tree = new ObjectMapper().readTree(bytes);
            String type = tree != null && tree.path("type").isTextual() ? tree.path("type").asText() : null;
            return type != null && type.matches("[a-z_]{1,40}") ? type : type == null ? null : "unknown";
        } catch (IOException | RuntimeException e) {
            return null;
        } finally {
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    /**
     * Credentials from the ADC file of {@code environment}, read when the client is first built (not now), so a
     * store can be defined on a machine that has not signed in yet.
     *
     * @throws MisconfiguredException (from the provider) when the file is missing, unreadable, of a type not listed
     *                                above, or not usable by Google's library; the message names the file, the rule
     *                                that chose it, the type, and the command that writes it
     */
    static CredentialsProvider provider(String storeId, Map<String, String> environment, Path base) {
        return provider(storeId, environment, base, null);
    }

    /** As {@link #provider(String, Map, Path)}, signing in over {@code transport} (proxy, CA bundle) when not null. */
    static CredentialsProvider provider(String storeId, Map<String, String> environment, Path base,
            HttpTransportFactory transport) {
        Location location = locate(environment, base);
        return () -> load(storeId, location, transport);
    }

    static GoogleCredentials load(String storeId, Location location) {
        return load(storeId, location, null);
    }

    static GoogleCredentials load(String storeId, Location location, HttpTransportFactory transport) {
        if (location == null) {
            throw new MisconfiguredException(storeId, null, "auth 'adc': cannot tell where the Application Default "
                    + "Credentials file is (HOME, CLOUDSDK_CONFIG and GOOGLE_APPLICATION_CREDENTIALS are not set)");
        }
        Path file = location.path();
        String where = "Application Default Credentials file " + file + " (from " + location.source() + ")";
        if (!Files.isRegularFile(file)) {
            throw new MisconfiguredException(storeId, null, "auth 'adc': no " + where + "; run '"
                    + LOGIN_COMMAND + "'" + ("GOOGLE_APPLICATION_CREDENTIALS".equals(location.source())
                    ? " or fix GOOGLE_APPLICATION_CREDENTIALS" : ""));
        }
        String type = type(file);
        if (type == null) {
            throw new MisconfiguredException(storeId, null, "auth 'adc': " + where + " is not a Google credentials "
                    + "JSON file (a JSON object with a \"type\", at most " + MAX_BYTES / 1024 + " KiB); run '"
                    + LOGIN_COMMAND + "' to write it again");
        }
        if (!TYPES.contains(type)) {
            throw new MisconfiguredException(storeId, null, "auth 'adc': " + where + " holds credentials of type '"
                    + type + "'; accepted: authorized_user, service_account, external_account, "
                    + "impersonated_service_account");
        }
        byte[] bytes = null;
        try {
            bytes = Files.readAllBytes(file);
            GoogleCredentials credentials = parse(type, bytes, transport);
            return credentials.createScoped(SecretManagerServiceSettings.getDefaultServiceScopes());
        } catch (IOException | RuntimeException e) {
            // The library's parse errors may quote a field; name the file and the type only.
            throw new MisconfiguredException(storeId, null, "auth 'adc': " + where + " holds a " + type
                    + " credential that Google's library cannot use (a required field is missing or malformed); run '"
                    + LOGIN_COMMAND + "' to write it again");
        } finally {
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    private static GoogleCredentials parse(String type, byte[] bytes, HttpTransportFactory transport)
            throws IOException {
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            if (transport != null) {
                return switch (type) {
                    case "authorized_user" -> UserCredentials.fromStream(in, transport);
                    case "service_account" -> ServiceAccountCredentials.fromStream(in, transport);
                    case "external_account" -> ExternalAccountCredentials.fromStream(in, transport);
                    case "impersonated_service_account" -> GoogleCredentials.fromStream(in, transport);
                    default -> throw new IOException("type " + type);
                };
            }
            return switch (type) {
                case "authorized_user" -> UserCredentials.fromStream(in);
                case "service_account" -> ServiceAccountCredentials.fromStream(in);
                case "external_account" -> ExternalAccountCredentials.fromStream(in);
                case "impersonated_service_account" -> GoogleCredentials.fromStream(in);
                default -> throw new IOException("type " + type);
            };
        }
    }
}
