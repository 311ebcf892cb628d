package io.jenkins.plugins.kmssecrets.store.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import org.junit.jupiter.api.Test;

class AzureKeyVaultStoreProviderTest {

    @Test
    void isRegisteredWithServiceLoaderAsAzureKeyVault() {
        assertThat(StoreTypes.installed().get("azure-key-vault")).isInstanceOf(AzureKeyVaultStoreProvider.class);
    }

    @Test
    void declaresEverySettingItReads() {
        assertThat(new AzureKeyVaultStoreProvider().settingKeys()).contains("vaultUrl", "vaultName",
                "vaultDnsSuffix", "authorityHost", "auth", "tenantId", "clientId", "clientSecretEnv",
                "clientCertificatePath", "tagFilter", "connectTimeout", "readTimeout", "maxRetries", "maxRetryWait");
    }
}
