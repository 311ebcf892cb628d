package io.jenkins.plugins.kmssecrets.rotation;

/**
 * How one ExternalSecret reads the rotated secret.
 *
 * @param via       {@code data}, {@code dataFrom.extract} or {@code dataFrom.find}
 * @param secretKey the key of the generated Secret that carries the value ({@code data} only), else {@code null}
 * @param property  {@code remoteRef.property}, or {@code null}
 * @param affected  whether this use sees the rotated value: false when it reads another property of the same secret
 * @since 0.2.0
 */
public record ExternalSecretUse(String via, String secretKey, String property, boolean affected) {

    /** Read through {@code spec.data[]}. */
    public static final String DATA = "data";
    /** Read through {@code spec.dataFrom[].extract}. */
    public static final String EXTRACT = "dataFrom.extract";
    /** Read through {@code spec.dataFrom[].find}. */
    public static final String FIND = "dataFrom.find";

    /** One line for tables, e.g. {@code data password <- #password}. */
    public String describe() {
        StringBuilder text = new StringBuilder(via);
        if (secretKey != null) {
            text.append(' ').append(secretKey);
        }
        if (property != null) {
            text.append(" <- #").append(property);
        }
        if (!affected) {
            text.append(" (another property: unchanged)");
        }
        return text.toString();
    }
}
