package io.jenkins.plugins.kmssecrets.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * The parts of an ExternalSecret's {@code status} that say whether ESO has synced it.
 *
 * @param syncedResourceVersion {@code status.syncedResourceVersion}, or {@code null}
 * @param refreshTime           {@code status.refreshTime}, or {@code null}
 * @param ready                 the {@code Ready} condition's status ({@code True}, {@code False}, {@code Unknown}),
 *                              or {@code null} when there is none
 * @param reason                the {@code Ready} condition's reason, or {@code null}
 * @param message               the {@code Ready} condition's message (one line), or {@code null}
 * @param lastTransitionTime    the {@code Ready} condition's {@code lastTransitionTime} as written, or {@code null}
 * @since 0.1.0
 */
public record ExternalSecretStatus(String syncedResourceVersion, Instant refreshTime, String ready, String reason,
                                   String message, String lastTransitionTime) {

    /** Reason ESO sets when it could not sync. */
    public static final String SECRET_SYNCED_ERROR = "SecretSyncedError";

    /** The status of {@code resource}, or an empty status when it has none (or the resource is {@code null}). */
    @SuppressWarnings("unchecked")
    public static ExternalSecretStatus of(GenericKubernetesResource resource) {
        Object status = resource == null ? null : resource.getAdditionalProperties().get("status");
        if (!(status instanceof Map<?, ?> map)) {
            return new ExternalSecretStatus(null, null, null, null, null, null);
        }
        String ready = null;
        String reason = null;
        String message = null;
        String transition = null;
        if (map.get("conditions") instanceof List<?> conditions) {
            for (Object condition : conditions) {
                if (condition instanceof Map<?, ?> c && "Ready".equals(c.get("type"))) {
                    ready = string(c.get("status"));
                    reason = string(c.get("reason"));
                    message = oneLine(string(c.get("message")));
                    transition = string(c.get("lastTransitionTime"));
                }
            }
        }
        return new ExternalSecretStatus(string(map.get("syncedResourceVersion")), instant(map.get("refreshTime")),
                ready, reason, message, transition);
    }

    /** Whether ESO reports {@code Ready=True}. */
    public boolean isReady() {
        return "True".equals(ready);
    }

    /** Whether ESO reports that syncing failed. */
    public boolean isSyncError() {
        return "False".equals(ready) && SECRET_SYNCED_ERROR.equals(reason);
    }

    /**
     * Whether this sync error is the same one {@code before} showed (same reason, message and transition time): an
     * error left over from before an apply says nothing about the applied version.
     */
    public boolean isSameErrorAs(ExternalSecretStatus before) {
        return before != null && before.isSyncError() && isSyncError()
                && java.util.Objects.equals(message, before.message)
                && java.util.Objects.equals(lastTransitionTime, before.lastTransitionTime);
    }

    /** {@code Ready=True (SecretSynced)} or {@code no status yet}, for progress lines. */
    public String summary() {
        if (ready == null) {
            return "no status yet";
        }
        return "Ready=" + ready + (reason == null ? "" : " (" + reason + ")");
    }

    private static String string(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(String.valueOf(value));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** ESO's messages name stores and keys; keep them to one bounded line. */
    static String oneLine(String text) {
        if (text == null) {
            return null;
        }
        String line = text.replaceAll("\\s+", " ").trim();
        return line.length() > 300 ? line.substring(0, 297) + "..." : line;
    }
}
