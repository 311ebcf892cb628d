package io.jenkins.plugins.kmssecrets.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignInChecksTest {

    private static final String YAML = """
            unclassified:
              kmsSecrets:
                cacheTtl: "10s"
                stores:
                  - sops:
                      id: "e2e-sops"
                      file: "kms-e2e/e2e.enc.yaml"
                      credentialsId: "kms-e2e-age-key"
                  - azureKeyVault:
                      id: "e2e-akv"
                      vaultUrl: "https://kms-e2e.vault.azure.net:4443/"
                      signIn:
                        clientSecret:
                          tenantId: "t1"
                          clientId: "c1"
                          credentialsId: "kms-e2e-akv-client-secret"
                  - azureKeyVault:
                      id: "e2e-akv-cert"
                      vaultUrl: "https://kms-e2e.vault.azure.net:4443/"
                      auth: "clientCertificate"
                      tenantId: "t1"
                      clientId: "c1"
                      clientCertificatePath: "kms-e2e/akv-client.pem"
                  - vault:
                      id: "e2e-vault"
                      address: "http://127.0.0.1:1234"
                      signIn:
                        token:
                          credentialsId: "kms-e2e-vault-token"
            """;

    private static final String EXPORT = """
              kmsSecrets:
                cacheTtl: "10s"
                stores:
                - sops:
                    credentialsId: "kms-e2e-age-key"
                    file: "kms-e2e/e2e.enc.yaml"
                    id: "e2e-sops"
                - azureKeyVault:
                    id: "e2e-akv"
                    signIn:
                      clientSecret:
                        clientId: "c1"
                        credentialsId: "kms-e2e-akv-client-secret"
                        tenantId: "t1"
                    vaultUrl: "https://kms-e2e.vault.azure.net:4443/"
                - azureKeyVault:
                    id: "e2e-akv-cert"
                    signIn:
                      clientCertificate:
                        clientCertificatePath: "kms-e2e/akv-client.pem"
                        clientId: "c1"
                        tenantId: "t1"
                    vaultUrl: "https://kms-e2e.vault.azure.net:4443/"
                - vault:
                    address: "http://127.0.0.1:1234"
                    id: "e2e-vault"
                    signIn:
                      token:
                        credentialsId: "kms-e2e-vault-token"
            """;

    @Test
    void storesNameTheModeOfNestedAndFlatYaml() {
        List<SignInChecks.Store> stores = SignInChecks.stores(YAML);
        assertThat(stores).extracting(SignInChecks.Store::id)
                .containsExactly("e2e-sops", "e2e-akv", "e2e-akv-cert", "e2e-vault");
        assertThat(stores).extracting(SignInChecks.Store::mode).containsExactly(null, "AzureSignIn$ClientSecret",
                "AzureSignIn$ClientCertificate", "VaultSignIn$Token");
        assertThat(stores.get(2).modeFields()).isEqualTo(Map.of("tenantId", "t1", "clientId", "c1",
                "clientCertificatePath", "kms-e2e/akv-client.pem"));
        assertThat(stores.get(2).fields()).containsOnlyKeys("id", "vaultUrl");
        assertThat(stores.get(1).modeFields()).containsEntry("credentialsId", "kms-e2e-akv-client-secret");
    }

    @Test
    void aNestedExportHasNoProblem() {
        assertThat(SignInChecks.exportProblems(EXPORT, SignInChecks.stores(YAML))).isEmpty();
    }

    @Test
    void aFlatExportIsReported() {
        String flat = EXPORT.replace("""
                        signIn:
                          token:
                            credentialsId: "kms-e2e-vault-token"
                """, """
                        authMethod: "token"
                        credentialsId: "kms-e2e-vault-token"
                """);
        assertThat(SignInChecks.exportProblems(flat, SignInChecks.stores(YAML))).containsExactlyInAnyOrder(
                "the export of store e2e-vault has the flat attribute authMethod",
                "the export of store e2e-vault has the flat attribute credentialsId",
                "the export of store e2e-vault does not show signIn token",
                "the export of store e2e-vault lacks token.credentialsId");
    }

    @Test
    void aFormShowingAnotherModesFieldIsReported() {
        String button = "data-validate-button-descriptor-url=\"/manage/descriptorByName/"
                + "io.jenkins.plugins.kmssecrets.jenkins.config.AzureSignIn$ManagedIdentity\"";
        String good = "<input name=\"_.id\" type=\"text\" value=\"mi\"><input name=\"_.vaultUrl\">"
                + "<input name=\"_.clientId\">" + button + "<input name=\"_.credentialIdPrefix\">"
                + "<input name=\"_.id\" value=\"next\"><input name=\"_.credentialsId\">";
        assertThat(SignInChecks.formProblems(good, "mi", "AzureSignIn$ManagedIdentity")).isEmpty();
        String bad = good.replace("<input name=\"_.clientId\">", "<input name=\"_.clientId\"><select name=\"_.credentialsId\">");
        assertThat(SignInChecks.formProblems(bad, "mi", "AzureSignIn$ManagedIdentity")).containsExactly(
                "store mi (AzureSignIn$ManagedIdentity): the form shows field credentialsId of AzureSignIn$ClientSecret");
        assertThat(SignInChecks.formProblems(good, "mi", "AzureSignIn$ClientSecret")).contains(
                "store mi (AzureSignIn$ClientSecret): the form lacks field tenantId",
                "store mi (AzureSignIn$ClientSecret): the form has no Test connection button of its mode");
    }

    @Test
    void oldFormatHasTheFlatElementsOfEarlierReleases() {
        String xml = """
                <stores>
                  <io.jenkins.plugins.kmssecrets.jenkins.config.AzureKeyVaultStoreConfig>
                    <id>a</id>
                    <signIn class="io.jenkins.plugins.kmssecrets.jenkins.config.AzureSignIn$ClientSecret">
                      <tenantId>t</tenantId>
                      <credentialsId>x</credentialsId>
                    </signIn>
                  </io.jenkins.plugins.kmssecrets.jenkins.config.AzureKeyVaultStoreConfig>
                  <io.jenkins.plugins.kmssecrets.jenkins.config.AzureKeyVaultStoreConfig>
                    <id>m</id>
                    <signIn class="io.jenkins.plugins.kmssecrets.jenkins.config.AzureSignIn$ManagedIdentity"/>
                  </io.jenkins.plugins.kmssecrets.jenkins.config.AzureKeyVaultStoreConfig>
                  <io.jenkins.plugins.kmssecrets.jenkins.config.VaultStoreConfig>
                    <signIn class="io.jenkins.plugins.kmssecrets.jenkins.config.VaultSignIn$AppRole">
                      <credentialsId>s</credentialsId>
                    </signIn>
                  </io.jenkins.plugins.kmssecrets.jenkins.config.VaultStoreConfig>
                  <io.jenkins.plugins.kmssecrets.jenkins.config.GoogleSecretManagerStoreConfig>
                    <signIn class="io.jenkins.plugins.kmssecrets.jenkins.config.GoogleSignIn$CredentialJson">
                      <credentialsId>g</credentialsId>
                    </signIn>
                  </io.jenkins.plugins.kmssecrets.jenkins.config.GoogleSecretManagerStoreConfig>
                </stores>
                """;
        String old = SignInChecks.toOldFormat(xml);
        assertThat(old).doesNotContain("signIn")
                .contains("<auth>clientSecret</auth><tenantId>t</tenantId>")
                .contains("<id>m</id>\n    <auth>managedIdentity</auth>")
                .contains("<authMethod>approle</authMethod><credentialsId>s</credentialsId>")
                .contains("<io.jenkins.plugins.kmssecrets.jenkins.config.GoogleSecretManagerStoreConfig>\n"
                        + "    <credentialsId>g</credentialsId>");
    }

    @Test
    void formJsonNestsTheSignInMode() {
        ConfigChecks checks = new ConfigChecks(new JenkinsClient(URI.create("http://127.0.0.1:1/"), "a", "t"),
                new LeakChecker(Map.of()), YAML, Path.of("target"));
        assertThat(checks.formJson(false))
                .contains("\"id\":\"e2e-akv\",\"vaultUrl\":\"https://kms-e2e.vault.azure.net:4443/\",\"signIn\":{\"$class\":"
                        + "\"io.jenkins.plugins.kmssecrets.jenkins.config.AzureSignIn$ClientSecret\",\"tenantId\":\"t1\","
                        + "\"clientId\":\"c1\",\"credentialsId\":\"kms-e2e-akv-client-secret\"}}")
                .contains("\"id\":\"e2e-akv-cert\",\"vaultUrl\":\"https://kms-e2e.vault.azure.net:4443/\","
                        + "\"auth\":\"clientCertificate\",\"tenantId\":\"t1\"")
                .contains("\"signIn\":{\"$class\":\"io.jenkins.plugins.kmssecrets.jenkins.config.VaultSignIn$Token\","
                        + "\"credentialsId\":\"kms-e2e-vault-token\"}}]");
    }
}
