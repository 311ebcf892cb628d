package io.jenkins.plugins.kmssecrets.store.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.kmssecrets.store.AccessDeniedException;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.StoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How a {@link VaultStore} obtains its token. Credentials are read when a token is needed, not when the store is
 * built, so a rotated file (a Kubernetes projected token, a Vault Agent sink, a re-issued secret id) is picked up at
 * the next login.
 *
 * @since 0.1.0
 */
public abstract class VaultAuth {

    VaultAuth() {
    }

    /**
     * A token read from {@code source}; its TTL and renewability come from {@code auth/token/lookup-self}, which
     * Vault's default policy allows.
     *
     * @param source    yields the token text each time it is called
     * @param rereadable whether calling {@code source} again may yield a newer token (a file, not an environment
     *                   variable), so that a rejected token is worth reading again
     */
    public static VaultAuth token(CredentialSource source, boolean rereadable) {
        return new TokenAuth(source, rereadable);
    }

    /** AppRole login at {@code auth/<mount>/login} with a role id and a secret id. */
    public static VaultAuth appRole(String mount, CredentialSource roleId, CredentialSource secretId) {
        return new LoginAuth("AppRole", mount, "role_id", roleId, "secret_id", secretId);
    }

    /** Kubernetes login at {@code auth/<mount>/login} with a role name and the pod's service-account JWT. */
    public static VaultAuth kubernetes(String mount, String role, CredentialSource jwt) {
        return new LoginAuth("Kubernetes", mount, "role", CredentialSource.literal("role", role), "jwt", jwt);
    }

    /** Obtains a fresh token. */
    abstract VaultToken login(VaultHttp http, Instant now, String storeId);

    /** Whether logging in again may cure a token that Vault rejected. */
    abstract boolean canLoginAgain();

    /**
     * Whether a token due for refresh is replaced by a new login rather than renewed: a login needs no
     * {@code renew-self} permission and is never capped by the token's maximum TTL.
     */
    boolean refreshesByLogin() {
        return false;
    }

    /** The method, for messages: {@code token}, {@code AppRole} or {@code Kubernetes}. */
    abstract String method();

    @Override
    public String toString() {
        return "VaultAuth[" + method() + "]";
    }

    /**
     * A non-secret or secret input to a login, read on demand. {@link #toString()} prints only its description.
     *
     * @since 0.1.0
     */
    public interface CredentialSource {

        /** Where the value comes from, for messages: {@code file /var/run/...} or {@code environment variable X}. */
        String description();

        /**
         * The value, trimmed.
         *
         * @throws MisconfiguredException when it cannot be read or is empty
         */
        String read(String storeId);

        /** A fixed value that is not secret (a role name, a role id written in the manifest). */
        static CredentialSource literal(String what, String value) {
            Objects.requireNonNull(value, what);
            return new CredentialSource() {
                @Override
                public String description() {
                    return what + " setting";
                }

                @Override
                public String read(String storeId) {
                    return value;
                }
            };
        }
    }

    private static final class TokenAuth extends VaultAuth {
        private final CredentialSource source;
        private final boolean rereadable;

        TokenAuth(CredentialSource source, boolean rereadable) {
            this.source = source;
            this.rereadable = rereadable;
        }

        @Override
        VaultToken login(VaultHttp http, Instant now, String storeId) {
            String text = source.read(storeId);
            VaultToken unchecked = new VaultToken(text, now, Duration.ZERO, false);
            VaultResponse lookup = http.send("GET", "auth/token/lookup-self", null, unchecked, null);
            if (!lookup.ok()) {
                throw loginFailure(storeId, lookup, "the token from " + source.description()
                        + " was rejected (HTTP " + lookup.status() + "); it is invalid or expired");
            }
            JsonNode data = lookup.body().path("data");
            return new VaultToken(text, now, Duration.ofSeconds(data.path("ttl").asLong(0)),
                    data.path("renewable").asBoolean(false));
        }

        @Override
        boolean canLoginAgain() {
            return rereadable;
        }

        @Override
        String method() {
            return "token";
        }
    }

    private static final class LoginAuth extends VaultAuth {
        private final String method;
        private final String mount;
        private final String firstField;
        private final CredentialSource first;
        private final String secondField;
        private final CredentialSource second;

        LoginAuth(String method, String mount, String firstField, CredentialSource first, String secondField,
                CredentialSource second) {
            this.method = method;
            this.mount = VaultPaths.trimSlashes(Objects.requireNonNull(mount, "mount"));
            this.firstField = firstField;
            this.first = first;
            this.secondField = secondField;
            this.second = second;
        }

        @Override
        VaultToken login(VaultHttp http, Instant now, String storeId) {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put(firstField, first.read(storeId));
            body.put(secondField, second.read(storeId));
            VaultResponse response = http.send("POST", "auth/" + mount + "/login", body, null, null);
            if (!response.ok()) {
                throw loginFailure(storeId, response, method + " login at auth/" + mount + "/login was rejected "
                        + "(HTTP " + response.status() + "); check " + first.description() + " and "
                        + second.description());
            }
            JsonNode auth = response.body().path("auth");
            String token = auth.path("client_token").asText("");
            if (token.isEmpty()) {
                throw new InvalidInputException(storeId, null, method + " login answered without a client token");
            }
            return new VaultToken(token, now, Duration.ofSeconds(auth.path("lease_duration").asLong(0)),
                    auth.path("renewable").asBoolean(false));
        }

        @Override
        boolean canLoginAgain() {
            return true;
        }

        @Override
        boolean refreshesByLogin() {
            return true;
        }

        @Override
        String method() {
            return method;
        }
    }

    static RuntimeException loginFailure(String storeId, VaultResponse response, String denied) {
        if (response.sealed()) {
            return new StoreUnavailableException(storeId, null, "Vault is sealed; ask an operator to unseal it");
        }
        if (response.status() >= 500 || response.status() == 429) {
            return new StoreUnavailableException(storeId, null, "Vault answered HTTP " + response.status()
                    + " to the login; try again later");
        }
        return new AccessDeniedException(storeId, null, denied);
    }
}
