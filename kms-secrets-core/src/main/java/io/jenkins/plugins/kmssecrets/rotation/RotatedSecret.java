package io.jenkins.plugins.kmssecrets.rotation;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The secret being rotated, as ExternalSecrets see it: the kms-secrets store it lives in, its name there (the
 * {@code remoteRef.key} ESO uses), the one JSON property or SOPS leaf being rotated, and its tags (labels, custom
 * metadata) so that {@code dataFrom.find} tag filters can be evaluated.
 *
 * @param storeId  the kms-secrets store id
 * @param name     the secret's name in that store
 * @param property the property rotated, or {@code null} for the whole value
 * @param tags     the secret's tags; never {@code null}
 * @since 0.2.0
 */
public record RotatedSecret(String storeId, String name, String property, Map<String, String> tags) {

    public RotatedSecret {
        Objects.requireNonNull(storeId, "storeId");
        Objects.requireNonNull(name, "name");
        tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(tags));
    }

    /** {@code store:name[#property]}, as a reference is written. */
    public String describe() {
        return storeId + ":" + name + (property == null ? "" : "#" + property);
    }
}
