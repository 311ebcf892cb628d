package io.jenkins.plugins.kmssecrets.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.kmssecrets.jenkins.config.AzureKeyVaultStoreConfig;
import io.jenkins.plugins.kmssecrets.jenkins.config.AzureSignIn;
import io.jenkins.plugins.kmssecrets.jenkins.config.KmsSecretsConfiguration;
import io.jenkins.plugins.kmssecrets.jenkins.config.SopsStoreConfig;
import java.time.Duration;
import java.util.List;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The configuration survives the web form (configRoundtrip submits the real config.jelly) and a reload. */
@WithJenkins
class KmsSecretsConfigurationTest {

    @Test
    void webFormRoundTripKeepsEveryField(JenkinsRule r) throws Exception {
        AzureKeyVaultStoreConfig azure = new AzureKeyVaultStoreConfig("akv-prod", "https://prod.vault.azure.net/");
        azure.setSignIn(new AzureSignIn.ClientSecret("tenant", "client", "akv-client-secret"));
        SopsStoreConfig sops = new SopsStoreConfig("local", "secrets/dev.enc.yaml");
        KmsSecretsConfiguration config = KmsSecretsConfiguration.get();
        config.setStores(List.of(azure, sops));
        config.setCacheTtl("10m");
        config.setTagFilter("jenkins=true");

        r.configRoundtrip();

        config = KmsSecretsConfiguration.get();
        assertEquals(2, config.getStores().size());
        AzureKeyVaultStoreConfig azureBack = assertInstanceOf(AzureKeyVaultStoreConfig.class, config.getStores().get(0));
        assertEquals("akv-prod", azureBack.getId());
        assertEquals("https://prod.vault.azure.net/", azureBack.getVaultUrl());
        AzureSignIn.ClientSecret signInBack = assertInstanceOf(AzureSignIn.ClientSecret.class, azureBack.getSignIn());
        assertEquals("tenant", signInBack.getTenantId());
        assertEquals("client", signInBack.getClientId());
        assertEquals("akv-client-secret", signInBack.getCredentialsId());
        SopsStoreConfig sopsBack = assertInstanceOf(SopsStoreConfig.class, config.getStores().get(1));
        assertEquals("secrets/dev.enc.yaml", sopsBack.getFile());
        assertEquals("10m", config.getCacheTtl());
        assertEquals(Duration.ofMinutes(10), config.effectiveCacheTtl());
        assertEquals("jenkins=true", config.getTagFilter());
    }

    @Test
    void malformedTtlFallsBackToTheDefault(JenkinsRule r) {
        KmsSecretsConfiguration config = KmsSecretsConfiguration.get();
        config.setCacheTtl("soon");
        assertEquals(Duration.ofMinutes(5), config.effectiveCacheTtl());
    }

    @Test
    void refusedFormSaveChangesNeitherTheLiveConfigurationNorTheFile(JenkinsRule r) throws Exception {
        KmsSecretsConfiguration config = KmsSecretsConfiguration.get();
        config.setStores(List.of(new SopsStoreConfig("local", "a.enc.yaml"), new SopsStoreConfig("local",
                "b.enc.yaml")));
        config.setCacheTtl("10m");
        String onDisk = config.getConfigFile().asString();
        JenkinsRule.WebClient wc = r.createWebClient();
        wc.setThrowExceptionOnFailingStatusCode(false);
        HtmlForm form = wc.goTo("manage/configure").getFormByName("config");
        form.getInputByName("_.cacheTtl").setValue("1h");

        HtmlPage refused = r.submit(form);

        assertNotEquals(200, refused.getWebResponse().getStatusCode());
        assertEquals("10m", config.getCacheTtl());
        assertEquals(List.of("a.enc.yaml", "b.enc.yaml"), config.getStores().stream()
                .map(store -> ((SopsStoreConfig) store).getFile()).toList());
        assertEquals(onDisk, config.getConfigFile().asString());
    }

    @Test
    void settersSaveSoThatConfigurationAsCodeSurvivesARestart(JenkinsRule r) throws Exception {
        KmsSecretsConfiguration config = KmsSecretsConfiguration.get();

        config.setCacheTtl("15m");

        assertTrue(config.getConfigFile().asString().contains("<cacheTtl>15m</cacheTtl>"));
    }
}
