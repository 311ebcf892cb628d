package io.jenkins.plugins.kmssecrets.jenkins;

import static io.jenkins.plugins.casc.misc.Util.getUnclassifiedRoot;
import static io.jenkins.plugins.casc.misc.Util.toYamlString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.jenkins.plugins.casc.ConfigurationContext;
import io.jenkins.plugins.casc.ConfiguratorRegistry;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import io.jenkins.plugins.casc.model.CNode;
import io.jenkins.plugins.kmssecrets.jenkins.config.AzureKeyVaultStoreConfig;
import io.jenkins.plugins.kmssecrets.jenkins.config.GoogleSecretManagerStoreConfig;
import io.jenkins.plugins.kmssecrets.jenkins.config.KmsSecretsConfiguration;
import io.jenkins.plugins.kmssecrets.jenkins.config.SopsStoreConfig;
import io.jenkins.plugins.kmssecrets.jenkins.config.VaultStoreConfig;
import org.junit.jupiter.api.Test;

@WithJenkinsConfiguredWithCode
class ConfigurationAsCodeTest {

    @Test
    @ConfiguredWithCode("configuration-as-code.yml")
    void everyStoreTypeIsReadFromYaml(JenkinsConfiguredWithCodeRule j) {
        KmsSecretsConfiguration config = KmsSecretsConfiguration.get();
        assertEquals(4, config.getStores().size());
        AzureKeyVaultStoreConfig azure = assertInstanceOf(AzureKeyVaultStoreConfig.class, config.getStores().get(0));
        assertEquals("akv-prod", azure.getId());
        assertEquals("https://hybridops-prod.vault.azure.net/", azure.getVaultUrl());
        assertEquals("clientSecret", azure.getAuth());
        assertEquals("akv-client-secret", azure.getCredentialsId());
        SopsStoreConfig sops = assertInstanceOf(SopsStoreConfig.class, config.getStores().get(1));
        assertEquals("secrets/dev.enc.yaml", sops.getFile());
        assertEquals("age-key", sops.getCredentialsId());
        GoogleSecretManagerStoreConfig gsm = assertInstanceOf(GoogleSecretManagerStoreConfig.class,
                config.getStores().get(2));
        assertEquals("my-project", gsm.getProject());
        VaultStoreConfig vault = assertInstanceOf(VaultStoreConfig.class, config.getStores().get(3));
        assertEquals("approle", vault.getAuthMethod());
        assertEquals("10m", config.getCacheTtl());
        assertEquals("jenkins=true", config.getTagFilter());
    }

    @Test
    @ConfiguredWithCode("configuration-as-code.yml")
    void exportRoundTripsTheSameKeys(JenkinsConfiguredWithCodeRule j) throws Exception {
        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        CNode node = getUnclassifiedRoot(context).get("kmsSecrets");
        String exported = toYamlString(node);
        assertThat(exported, containsString("azureKeyVault:"));
        assertThat(exported, containsString("vaultUrl: \"https://hybridops-prod.vault.azure.net/\""));
        assertThat(exported, containsString("sops:"));
        assertThat(exported, containsString("googleSecretManager:"));
        assertThat(exported, containsString("vault:"));
        assertThat(exported, containsString("cacheTtl: \"10m\""));
    }
}
