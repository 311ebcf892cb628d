package io.jenkins.plugins.kmssecrets.store.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.kmssecrets.problem.SourceLocation;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AzureKeyVaultSettingsTest {

    private static StoreDefinition definition(Object... keyValues) {
        Map<String, Object> settings = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            settings.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new StoreDefinition("akv-prod", "azure-key-vault", settings, null);
    }

    private static String error(Object... keyValues) {
        return catchThrowableOfType(MisconfiguredException.class,
                () -> AzureKeyVaultSettings.from(definition(keyValues))).getMessage();
    }

    @Test
    void vaultNameUsesThePublicCloudSuffixByDefault() {
        AzureKeyVaultSettings settings = AzureKeyVaultSettings.from(definition("vaultName", "netbox-prod"));
        assertThat(settings.vaultUrl()).hasToString("https://netbox-prod.vault.azure.net/");
        assertThat(settings.authorityHost()).hasToString("https://login.microsoftonline.com/");
    }

    @Test
    void sovereignCloudTakesDnsSuffixAndAuthorityHost() {
        AzureKeyVaultSettings settings = AzureKeyVaultSettings.from(definition("vaultName", "netbox-gov",
                "vaultDnsSuffix", "vault.usgovcloudapi.net", "authorityHost", "https://login.microsoftonline.us/"));
        assertThat(settings.vaultUrl()).hasToString("https://netbox-gov.vault.usgovcloudapi.net/");
        assertThat(settings.authorityHost()).hasToString("https://login.microsoftonline.us/");
    }

    @Test
    void defaultsAreTheDefaultChainThreeRetriesAndSensibleTimeouts() {
        AzureKeyVaultSettings settings = AzureKeyVaultSettings.from(definition("vaultUrl",
                "https://kv.vault.azure.net/"));
        assertThat(settings.auth()).isEqualTo(AzureAuth.DEFAULT);
        assertThat(settings.clientSecretEnv()).isEqualTo("AZURE_CLIENT_SECRET");
        assertThat(settings.maxRetries()).isEqualTo(3);
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.readTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.maxRetryWait()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void signInTimeoutDefaultsToAFewSecondsLongerForAzAndTheChain() {
        assertThat(AzureKeyVaultSettings.from(definition("vaultName", "kv-one", "auth", "managedIdentity"))
                .signInTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(AzureKeyVaultSettings.from(definition("vaultName", "kv-one", "auth", "workloadIdentity"))
                .signInTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(AzureKeyVaultSettings.from(definition("vaultName", "kv-one", "auth", "azureCli"))
                .signInTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(AzureKeyVaultSettings.from(definition("vaultName", "kv-one")).signInTimeout())
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(AzureKeyVaultSettings.from(definition("vaultName", "kv-one", "auth", "azureCli",
                "signInTimeout", "3s")).signInTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(error("vaultName", "kv-one", "signInTimeout", "0s")).contains("'signInTimeout'");
    }

    @Test
    void authAcceptsTheNewModesAndNamesAllOnAnUnknownOne() {
        assertThat(AzureKeyVaultSettings.from(definition("vaultName", "kv-one", "auth", "AzureCLI")).auth())
                .isEqualTo(AzureAuth.AZURE_CLI);
        assertThat(AzureKeyVaultSettings.from(definition("vaultName", "kv-one", "auth", "workloadIdentity")).auth())
                .isEqualTo(AzureAuth.WORKLOAD_IDENTITY);
        assertThat(error("vaultName", "kv-one", "auth", "msi")).contains("azureCli").contains("workloadIdentity")
                .contains("managedIdentity");
    }

    @Test
    void onlyThePublicAuthorityKeepsInstanceDiscovery() {
        assertThat(AzureKeyVaultSettings.from(definition("vaultName", "kv-one")).customAuthority()).isFalse();
        assertThat(AzureKeyVaultSettings.from(definition("vaultName", "kv-one", "authorityHost",
                "https://login.microsoftonline.us/")).customAuthority()).isTrue();
        assertThat(AzureKeyVaultSettings.from(definition("vaultName", "kv-one", "authorityHost",
                "https://127.0.0.1:8443/")).customAuthority()).isTrue();
    }

    @Test
    void vaultIsRequired() {
        assertThat(error()).contains("store 'akv-prod'").contains("'vaultUrl'");
    }

    @Test
    void vaultUrlAndVaultNameExcludeEachOther() {
        assertThat(error("vaultUrl", "https://a.vault.azure.net/", "vaultName", "b")).contains("not both");
    }

    @Test
    void plainHttpVaultUrlIsRejected() {
        assertThat(error("vaultUrl", "http://kv.vault.azure.net/")).contains("https://");
    }

    @Test
    void unknownSettingIsRejectedWithTheKnownOnes() {
        assertThat(error("vaultName", "kv-one", "clientSecret", "x")).contains("unknown setting 'clientSecret'")
                .contains("clientSecretEnv");
    }

    @Test
    void clientSecretAuthNeedsTenantAndClient() {
        assertThat(error("vaultName", "kv-one", "auth", "clientSecret")).contains("'tenantId' and 'clientId'");
    }

    @Test
    void clientCertificateAuthNeedsTheCertificatePath() {
        assertThat(error("vaultName", "kv-one", "auth", "clientCertificate", "tenantId", "t", "clientId", "c"))
                .contains("clientCertificatePath");
    }

    @Test
    void unknownAuthListsTheAcceptedOnes() {
        assertThat(error("vaultName", "kv-one", "auth", "password")).contains("default, clientSecret, "
                + "clientCertificate, managedIdentity");
    }

    @Test
    void clientSecretEnvMustBeAVariableNameAndIsNeverEchoed() {
        String message = error("vaultName", "kv-one", "clientSecretEnv", "Zx8~q.Secret-Value");
        assertThat(message).contains("NAME of an environment variable").doesNotContain("Zx8~q.Secret-Value");
    }

    @Test
    void tagFilterAcceptsAMapOrPairs() {
        assertThat(AzureKeyVaultSettings.from(definition("vaultName", "kv-one", "tagFilter",
                Map.of("team", "netbox"))).tagFilter()).containsEntry("team", "netbox");
        assertThat(AzureKeyVaultSettings.from(definition("vaultName", "kv-one", "tagFilter",
                "team=netbox, env=prod")).tagFilter()).containsEntry("env", "prod").hasSize(2);
    }

    @Test
    void errorsNameTheManifestLocation() {
        StoreDefinition located = new StoreDefinition("akv-prod", "azure-key-vault", Map.of("auth", "nope",
                "vaultName", "kv-one"), new SourceLocation("kms-secrets.yaml", 4, 5, "stores[0]"));
        MisconfiguredException e = catchThrowableOfType(MisconfiguredException.class,
                () -> AzureKeyVaultSettings.from(located));
        assertThat(e.getMessage()).contains("kms-secrets.yaml").contains("4");
    }

    @Test
    void retriesAreBounded() {
        assertThat(error("vaultName", "kv-one", "maxRetries", 50)).contains("between 0 and 10");
    }
}
