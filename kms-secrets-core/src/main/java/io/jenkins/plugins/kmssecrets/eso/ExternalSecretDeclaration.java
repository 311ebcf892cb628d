package io.jenkins.plugins.kmssecrets.eso;

import io.jenkins.plugins.kmssecrets.problem.SourceLocation;
import java.util.List;
import java.util.Objects;

/**
 * One ExternalSecret as declared in the {@code externalSecrets} section of {@code kms-secrets.yaml} (or on the
 * command line). Optional fields are {@code null} when not set and are then left out of the rendered resource, so
 * ESO's defaults apply.
 *
 * @param name            the ExternalSecret's name (and the file name suffix)
 * @param app             the application; selects {@code deploy/<app>/secrets/} and the managed-by labels
 * @param namespace       the namespace the ExternalSecret lives in
 * @param store           the ESO store it reads from
 * @param targetName      the Kubernetes Secret ESO creates, or {@code null} for {@code name}
 * @param refreshInterval Go duration such as {@code 1h}, or {@code null}
 * @param refreshPolicy   {@code CreatedOnce}, {@code Periodic} or {@code OnChange}, or {@code null}
 * @param creationPolicy  {@code Owner}, {@code Orphan}, {@code Merge}, {@code None} or {@code CreateOrMerge}, or
 *                        {@code null}
 * @param deletionPolicy  {@code Delete}, {@code Merge} or {@code Retain}, or {@code null}
 * @param templateType    the Secret {@code type} set through {@code target.template.type}, or {@code null}
 * @param keys            the keys of the generated Secret, in declaration order
 * @param location        where it was declared, or {@code null}
 * @since 0.1.0
 */
public record ExternalSecretDeclaration(String name, String app, String namespace, EsoStoreRef store,
                                        String targetName, String refreshInterval, String refreshPolicy,
                                        String creationPolicy, String deletionPolicy, String templateType,
                                        List<KeyMapping> keys, SourceLocation location) {

    public ExternalSecretDeclaration {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(store, "store");
        keys = List.copyOf(keys);
    }

    /** The Kubernetes Secret ESO writes. */
    public String effectiveTargetName() {
        return targetName == null ? name : targetName;
    }

    /** The kms-secrets store id every key reads from (the parser makes sure there is exactly one). */
    public String storeId() {
        return keys.isEmpty() ? null : keys.get(0).reference().storeId();
    }
}
