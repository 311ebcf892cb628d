package io.jenkins.plugins.kmssecrets.store;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The four bounded waits of one HTTP request: TCP connect, TLS handshake, the response headers (counted from the
 * start of the request, as the JDK client counts them) and the whole body after the headers. Each limit carries the
 * name of the store setting that changes it, so that a timeout message can say what to change.
 *
 * @param connect         time allowed to open the TCP connection
 * @param handshake       time allowed for the TLS handshake
 * @param response        time allowed from sending the request to the response headers
 * @param body            time allowed to receive the whole body once the headers arrived
 * @param responseSetting the setting that holds {@code response} ({@code responseTimeout}; Azure Key Vault's
 *                        {@code readTimeout})
 * @since 0.3.0
 */
public record NetworkLimits(Duration connect, Duration handshake, Duration response, Duration body,
        String responseSetting) {

    /** The phase of a request that a limit bounds. */
    public enum Phase {
        CONNECT("connectTimeout"),
        HANDSHAKE("handshakeTimeout"),
        RESPONSE("responseTimeout"),
        BODY("bodyTimeout");

        private final String setting;

        Phase(String setting) {
            this.setting = setting;
        }

        /** {@code connect}, {@code handshake}, {@code response} or {@code body}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The default name of the setting that bounds this phase. */
        public String setting() {
            return setting;
        }
    }

    public NetworkLimits {
        for (Duration d : new Duration[] {connect, handshake, response, body}) {
            Objects.requireNonNull(d, "limit");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("a network limit must be longer than zero");
            }
        }
        responseSetting = responseSetting == null ? Phase.RESPONSE.setting() : responseSetting;
    }

    /** Limits with the default setting names. */
    public NetworkLimits(Duration connect, Duration handshake, Duration response, Duration body) {
        this(connect, handshake, response, body, null);
    }

    /**
     * Reads {@code connectTimeout}, {@code handshakeTimeout}, {@code responseTimeout} and {@code bodyTimeout} from
     * {@code definition}, each falling back to {@code defaults}.
     *
     * @throws MisconfiguredException naming a setting that is zero or negative
     */
    public static NetworkLimits from(StoreDefinition definition, NetworkLimits defaults) {
        return new NetworkLimits(
                positive(definition, Phase.CONNECT.setting(), defaults.connect),
                positive(definition, Phase.HANDSHAKE.setting(), defaults.handshake),
                positive(definition, defaults.responseSetting, defaults.response),
                positive(definition, Phase.BODY.setting(), defaults.body),
                defaults.responseSetting);
    }

    /** The limit of {@code phase}. */
    public Duration limit(Phase phase) {
        return switch (phase) {
            case CONNECT -> connect;
            case HANDSHAKE -> handshake;
            case RESPONSE -> response;
            case BODY -> body;
        };
    }

    /** The setting that holds the limit of {@code phase}. */
    public String setting(Phase phase) {
        return phase == Phase.RESPONSE ? responseSetting : phase.setting();
    }

    /** The longest one attempt can take: every phase at its limit. */
    public Duration attempt() {
        return connect.plus(handshake).plus(response).plus(body);
    }

    /** {@code 250 ms}, {@code 10 s}, {@code 1.5 s}, {@code 2 min}: a duration for messages. */
    public static String text(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        if (duration.getSeconds() < 120 || duration.getSeconds() % 60 != 0) {
            return millis % 1000 == 0 ? millis / 1000 + " s"
                    : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        return duration.toMinutes() + " min";
    }

    private static Duration positive(StoreDefinition definition, String key, Duration fallback) {
        Duration value = definition.duration(key, fallback);
        if (value.isNegative() || value.isZero()) {
            String where = definition.location() == null ? "" : " (" + definition.location().position() + ")";
            throw new MisconfiguredException(definition.id(), null, "setting '" + key + "' must be longer than zero"
                    + where);
        }
        return value;
    }
}
