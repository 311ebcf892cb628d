package io.jenkins.plugins.kmssecrets.k8s;

import io.jenkins.plugins.kmssecrets.store.StoreUnavailableException;

/**
 * A cluster call failed: unreachable, refused, or answered with an error. The message is one line naming the
 * resource; it never holds a response body.
 *
 * @since 0.1.0
 */
public class KubernetesOperationException extends StoreUnavailableException {

    private static final long serialVersionUID = 1L;

    public KubernetesOperationException(String message) {
        super(null, null, message, null);
    }
}
