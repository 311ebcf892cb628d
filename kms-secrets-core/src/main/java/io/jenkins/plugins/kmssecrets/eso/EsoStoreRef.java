package io.jenkins.plugins.kmssecrets.eso;

import java.util.Objects;

/**
 * The ESO store an ExternalSecret reads from: a namespaced {@code SecretStore} or a {@code ClusterSecretStore}.
 *
 * @param name the store's resource name
 * @param kind {@link #SECRET_STORE} or {@link #CLUSTER_SECRET_STORE}
 * @since 0.1.0
 */
public record EsoStoreRef(String name, String kind) {

    /** Kind of a namespaced store. */
    public static final String SECRET_STORE = "SecretStore";
    /** Kind of a cluster-wide store. */
    public static final String CLUSTER_SECRET_STORE = "ClusterSecretStore";

    public EsoStoreRef {
        Objects.requireNonNull(name, "name");
        kind = kind == null ? SECRET_STORE : kind;
    }

    /** Whether this is a cluster-wide store. */
    public boolean isClusterStore() {
        return CLUSTER_SECRET_STORE.equals(kind);
    }
}
