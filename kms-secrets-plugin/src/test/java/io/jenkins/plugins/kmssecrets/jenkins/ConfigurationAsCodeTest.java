package io.jenkins.plugins.kmssecrets.jenkins;

import static io.jenkins.plugins.casc.misc.Util.getUnclassifiedRoot;
import static io.jenkins.plugins.casc.misc.Util.toYamlString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.jenkins.plugins.casc.ConfigurationContext;
import io.jenkins.plugins.casc.ConfiguratorRegistry;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import io.jenkins.plugins.casc.model.CNode;
import io.jenkins.plugins.kmssecrets.jenkins.config.AzureKeyVaultStoreConfig;
import io.jenkins.plugins.kmssecrets.jenkins.config.AzureSignIn;
import io.jenkins.plugins.kmssecrets.jenkins.config.GoogleSecretManagerStoreConfig;
import io.jenkins.plugins.kmssecrets.jenkins.config.GoogleSignIn;
import io.jenkins.plugins.kmssecrets.jenkins.config.KmsSecretsConfiguration;
import io.jenkins.plugins.kmssecrets.jenkins.config.SopsStoreConfig;
import io.jenkins.plugins.kmssecrets.jenkins.config.VaultSignIn;
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
        // The flat attributes of earlier releases select the nested mode.
        AzureSignIn.ClientSecret signIn = assertInstanceOf(AzureSignIn.ClientSecret.class, azure.getSignIn());
        assertEquals("00000000-0000-0000-0000-000000000001", signIn.getTenantId());
        assertEquals("akv-client-secret", signIn.getCredentialsId());
        SopsStoreConfig sops = assertInstanceOf(SopsStoreConfig.class, config.getStores().get(1));
        assertEquals("secrets/dev.enc.yaml", sops.getFile());
        assertEquals("age-key", sops.getCredentialsId());
        GoogleSecretManagerStoreConfig gsm = assertInstanceOf(GoogleSecretManagerStoreConfig.class,
                config.getStores().get(2));
        assertEquals("my-project", gsm.getProject());
        VaultStoreConfig vault = assertInstanceOf(VaultStoreConfig.class, config.getStores().get(3));
        VaultSignIn.AppRole appRole = assertInstanceOf(VaultSignIn.AppRole.class, vault.getSignIn());
        assertEquals("vault-approle", appRole.getCredentialsId());
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
        // Exported in the nested shape only.
        assertThat(exported, containsString("clientSecret:"));
        assertThat(exported, containsString("appRole:"));
        assertThat(exported, not(containsString("auth:")));
        assertThat(exported, not(containsString("authMethod:")));
    }

    @Test
    @ConfiguredWithCode("configuration-as-code-signin.yml")
    void nestedSignInModesAreReadFromYaml(JenkinsConfiguredWithCodeRule j) {
        KmsSecretsConfiguration config = KmsSecretsConfiguration.get();
        AzureKeyVaultStoreConfig mi = assertInstanceOf(AzureKeyVaultStoreConfig.class, config.getStores().get(0));
        assertInstanceOf(AzureSignIn.ManagedIdentity.class, mi.getSignIn());
        AzureKeyVaultStoreConfig cert = assertInstanceOf(AzureKeyVaultStoreConfig.class, config.getStores().get(1));
        assertEquals("certs/ci.pem",
                assertInstanceOf(AzureSignIn.ClientCertificate.class, cert.getSignIn()).getClientCertificatePath());
        GoogleSecretManagerStoreConfig gsm = assertInstanceOf(GoogleSecretManagerStoreConfig.class,
                config.getStores().get(2));
        assertEquals("gsm-key", assertInstanceOf(GoogleSignIn.CredentialJson.class, gsm.getSignIn()).getCredentialsId());
        VaultStoreConfig vault = assertInstanceOf(VaultStoreConfig.class, config.getStores().get(3));
        VaultSignIn.Kubernetes kubernetes = assertInstanceOf(VaultSignIn.Kubernetes.class, vault.getSignIn());
        assertEquals("jenkins", kubernetes.getRole());
        assertEquals("k8s-ci", kubernetes.getAuthMount());
    }
}
