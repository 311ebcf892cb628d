package io.jenkins.plugins.kmssecrets.store.vault;

import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import java.util.Map;

/** A login input read from an environment variable of the store's context. */
record EnvironmentCredentialSource(String what, String variable, Map<String, String> environment)
        implements VaultAuth.CredentialSource {

    @Override
    public String description() {
        return what + " environment variable " + variable;
    }

    @Override
    public String read(String storeId) {
        String value = environment.get(variable);
        if (value == null || value.isBlank()) {
            throw new MisconfiguredException(storeId, null, description() + " is not set");
        }
        return value.trim();
    }

    @Override
    public String toString() {
        return "EnvironmentCredentialSource[" + variable + "]";
    }
}
