package io.jenkins.plugins.kmssecrets.store.azure;

import io.jenkins.plugins.kmssecrets.store.CaBundle;
import io.jenkins.plugins.kmssecrets.store.ProxySetting;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretStoreProvider;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import java.util.Objects;
import java.util.Set;

/**
 * Builds {@code azure-key-vault} stores; registered with {@link java.util.ServiceLoader}. The settings are described
 * in {@link AzureKeyVaultSettings} and {@code docs/stores/azure-key-vault.md}.
 *
 * @since 0.1.0
 */
public final class AzureKeyVaultStoreProvider implements SecretStoreProvider {

    private final KeyVaultTransport transport;

    /** The provider {@link java.util.ServiceLoader} uses: real Azure credentials. */
    public AzureKeyVaultStoreProvider() {
        this(KeyVaultTransport.azure());
    }

    /** A provider whose stores talk through {@code transport} (tests: a local fake with a static credential). */
    public AzureKeyVaultStoreProvider(KeyVaultTransport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    @Override
    public String type() {
        return AzureKeyVaultStore.TYPE;
    }

    @Override
    public Set<String> settingKeys() {
        return AzureKeyVaultSettings.KEYS;
    }

    @Override
    public SecretStore create(StoreDefinition definition, StoreContext context) {
        AzureKeyVaultSettings settings = AzureKeyVaultSettings.from(definition);
        String ca = definition.string(CaBundle.SETTING);
        return new AzureKeyVaultStore(definition.id(), settings, context, transport,
                ProxySetting.from(definition, context),
                ca == null || ca.isBlank() ? null : CaBundle.load(definition.id(), context.resolve(ca.trim())));
    }
}
