package io.jenkins.plugins.kmssecrets.store.gcp;

import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import java.time.Duration;
import java.time.Instant;

/**
 * What {@link GoogleSecretManagerStore#inspect} learns about one secret version without reading its value: the
 * generic metadata plus the Secret Manager specifics a check report may show.
 *
 * @param metadata         generic metadata; {@code enabled} is true only for an {@code ENABLED} version and
 *                         {@code expiresOn} is the secret's expire time
 * @param versionState     {@code ENABLED}, {@code DISABLED} or {@code DESTROYED}
 * @param destroyed        when the version was destroyed, or {@code null}
 * @param nextRotationTime when Secret Manager will next publish a rotation notification, or {@code null}
 * @param rotationPeriod   the rotation period, or {@code null} when the secret has no rotation schedule
 * @since 0.1.0
 */
public record SecretManagerSecretDetails(
        SecretMetadata metadata,
        String versionState,
        Instant destroyed,
        Instant nextRotationTime,
        Duration rotationPeriod) {
}
