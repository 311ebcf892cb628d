package io.jenkins.plugins.kmssecrets.store;

import java.util.Objects;

/**
 * What {@link SecretWriter#write} did: the secret, the version before and the version written. Holds no value.
 *
 * @param storeId          the store
 * @param name             the secret's name
 * @param property         the property replaced, or {@code null} for the whole value
 * @param previousVersion  the version that was current before, or {@code null} (a store without versions, or a new
 *                         secret)
 * @param newVersion       the version written, or {@code null} for a store without versions (SOPS, Vault KV 1)
 * @param previousDisabled whether the previous version was disabled afterwards
 * @param rolledBackFrom   the version whose value was restored, or {@code null} for a new value
 * @since 0.2.0
 */
public record WrittenVersion(String storeId, String name, String property, String previousVersion, String newVersion,
                             boolean previousDisabled, String rolledBackFrom) {

    public WrittenVersion {
        Objects.requireNonNull(storeId, "storeId");
        Objects.requireNonNull(name, "name");
    }

    /** This result, marked as restoring the value of {@code version}. */
    public WrittenVersion rolledBackFrom(String version) {
        return new WrittenVersion(storeId, name, property, previousVersion, newVersion, previousDisabled, version);
    }

    /** {@code store:name[#property]}. */
    public String describe() {
        return storeId + ":" + name + (property == null ? "" : "#" + property);
    }

    /** {@code old -> new}, with {@code -} for an unknown side. */
    public String transition() {
        return (previousVersion == null ? "-" : previousVersion) + " -> " + (newVersion == null ? "-" : newVersion);
    }
}
