package io.jenkins.plugins.kmssecrets.store;

import java.util.Set;

/**
 * Builds stores of one type from their definitions. Implementations are found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.jenkins.plugins.kmssecrets.store.SecretStoreProvider}) and have a public no-argument
 * constructor.
 *
 * @since 0.1.0
 */
public interface SecretStoreProvider {

    /** The type name used in the manifest, for example {@code sops}. */
    String type();

    /** The settings a definition of this type may carry besides {@code id} and {@code type}. */
    Set<String> settingKeys();

    /**
     * Builds the store. Cheap and offline where the backend allows it: connections are made on first use.
     *
     * @throws MisconfiguredException when a setting is missing or wrong
     */
    SecretStore create(StoreDefinition definition, StoreContext context);
}
