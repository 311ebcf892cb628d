package io.jenkins.plugins.kmssecrets.store.gcp;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import io.jenkins.plugins.kmssecrets.store.AccessDeniedException;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.SecretNotFoundException;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import io.jenkins.plugins.kmssecrets.store.SignInFailedException;
import io.jenkins.plugins.kmssecrets.store.StoreUnavailableException;

/**
 * Turns the client's {@link ApiException} (one that is neither retryable nor a connection, time-out or sign-in failure,
 * which {@link SecretManagerCaller} handles) into the core error hierarchy. The exception is summarised by its status
 * code and never chained: over HTTP/JSON its message carries the server's error text.
 */
final class SecretManagerFailures {

    private SecretManagerFailures() {
    }

    static SecretStoreException translate(String storeId, String secretName, SecretManagerCall call,
            ApiException e) {
        StatusCode.Code code = e.getStatusCode().getCode();
        String what = call.method() + " failed with " + code;
        if (call == SecretManagerCall.ACCESS_SECRET_VERSION
                && (code == StatusCode.Code.INVALID_ARGUMENT || code == StatusCode.Code.FAILED_PRECONDITION)) {
            // Over HTTP/JSON a disabled or destroyed version comes back as HTTP 400; the store could not look up
            // which (that needs secretmanager.versions.get), so say what it most likely is.
            return new SecretNotFoundException(storeId, secretName, what + "; the version is most likely disabled "
                    + "or destroyed: enable a disabled version, or pin another one");
        }
        return switch (code) {
            case NOT_FOUND -> new SecretNotFoundException(storeId, secretName,
                    call == SecretManagerCall.LIST_SECRETS
                            ? what + "; check the project and location settings"
                            : "no such secret or version in Secret Manager (" + what + ")");
            case PERMISSION_DENIED -> new AccessDeniedException(storeId, secretName, what + "; the identity needs "
                    + call.permission() + " (for example " + call.role() + ") on the secret or project");
            case UNAUTHENTICATED -> new SignInFailedException(storeId, secretName, what
                    + "; the credentials were rejected: check credentialsFile, credentialsJsonEnv or Application "
                    + "Default Credentials");
            case FAILED_PRECONDITION -> new SecretNotFoundException(storeId, secretName, what
                    + "; the version is disabled or destroyed: enable a disabled version, or pin another one");
            case INVALID_ARGUMENT, OUT_OF_RANGE -> new InvalidInputException(storeId, secretName, what
                    + "; check the secret name, version and filter");
            case UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, INTERNAL, ABORTED, CANCELLED ->
                    new StoreUnavailableException(storeId, secretName, what + "; try again later");
            default -> new StoreUnavailableException(storeId, secretName, what);
        };
    }
}
