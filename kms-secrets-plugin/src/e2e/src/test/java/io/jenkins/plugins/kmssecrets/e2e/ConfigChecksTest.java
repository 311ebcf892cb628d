package io.jenkins.plugins.kmssecrets.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigChecksTest {

    private static final String YAML = """
            unclassified:
              kmsSecrets:
                cacheTtl: "10s"
                stores:
                  - sops:
                      id: "e2e-sops"
                      file: "kms-e2e/e2e.enc.yaml"
                      credentialsId: "kms-e2e-age-key"
                  - vault:
                      id: "e2e-vault"
                      address: "http://127.0.0.1:1234"
                      authMethod: "token"
                      credentialsId: "kms-e2e-vault-token"
            """;

    private final ConfigChecks checks = new ConfigChecks(new JenkinsClient(URI.create("http://127.0.0.1:1/"), "a", "t"),
            new LeakChecker(Map.of()), YAML, Path.of("target"));

    @Test
    void formJsonHasEveryStoreWithItsClass() {
        assertThat(checks.formJson(false)).isEqualTo("{\"stores\":["
                + "{\"$class\":\"io.jenkins.plugins.kmssecrets.jenkins.config.SopsStoreConfig\",\"id\":\"e2e-sops\","
                + "\"file\":\"kms-e2e/e2e.enc.yaml\",\"credentialsId\":\"kms-e2e-age-key\"},"
                + "{\"$class\":\"io.jenkins.plugins.kmssecrets.jenkins.config.VaultStoreConfig\",\"id\":\"e2e-vault\","
                + "\"address\":\"http://127.0.0.1:1234\",\"authMethod\":\"token\",\"credentialsId\":\"kms-e2e-vault-token\"}"
                + "],\"cacheTtl\":\"10s\",\"tagFilter\":\"\"}");
    }

    @Test
    void theDuplicateFormGivesTheLastStoreTheFirstId() {
        assertThat(checks.formJson(true)).contains("\"id\":\"e2e-sops\",\"address\"").doesNotContain("e2e-vault\"");
    }

    @Test
    void theExportMustShowAllowRotationOnExactlyTheStoresThatSetIt() {
        String applied = "unclassified:\n  kmsSecrets:\n    stores:\n      - vault:\n          id: \"a\"\n"
                + "          allowRotation: \"true\"\n      - vault:\n          id: \"b\"\n";
        String good = "  kmsSecrets:\n    stores:\n    - vault:\n        allowRotation: true\n        id: \"a\"\n"
                + "    - vault:\n        id: \"b\"\n";
        assertThat(ConfigChecks.rotationExportProblems(good, applied)).isEmpty();
        String lost = "  kmsSecrets:\n    stores:\n    - vault:\n        id: \"a\"\n    - vault:\n        id: \"b\"\n";
        assertThat(ConfigChecks.rotationExportProblems(lost, applied))
                .containsExactly("the export of store a lacks allowRotation: true");
        String widened = "  kmsSecrets:\n    stores:\n    - vault:\n        allowRotation: true\n        id: \"a\"\n"
                + "    - vault:\n        allowRotation: true\n        id: \"b\"\n";
        assertThat(ConfigChecks.rotationExportProblems(widened, applied))
                .containsExactly("the export of store b shows allowRotation: true");
    }

    @Test
    void kmsSectionIsCutFromAnExport() {
        String export = "jenkins:\n  systemMessage: hi\nunclassified:\n  location:\n    url: x\n  kmsSecrets:\n"
                + "    cacheTtl: \"10s\"\n    stores:\n    - vault:\n        id: \"e2e-vault\"\n  other:\n    a: b\ntool: {}\n";
        assertThat(ConfigChecks.kmsSection(export)).isEqualTo("  kmsSecrets:\n    cacheTtl: \"10s\"\n    stores:\n"
                + "    - vault:\n        id: \"e2e-vault\"\n");
        assertThat(ConfigChecks.kmsSection("unclassified:\n  location: {}\n")).isNull();
    }

    @Test
    void junitXmlCountsAndEscapes() {
        CaseResult pass = new CaseResult("smoke-test", "akv");
        CaseResult fail = new CaseResult("outage", "vault");
        fail.problem("console lacks '<x>'");
        fail.leaks(java.util.List.of(new LeakChecker.Leak("job #1 console", "vault:e2e-password", "base64")));
        CaseResult skip = new CaseResult("credentials-ui", null);
        skip.skip("no \"UI\"");
        String xml = JUnitXml.render("kms-secrets-e2e", java.util.List.of(pass, fail, skip));
        assertThat(xml).contains("tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\"")
                .contains("classname=\"kms-e2e.akv\" name=\"smoke-test\"")
                .contains("<failure message=\"console lacks '&lt;x&gt;'\">")
                .contains("leak: job #1 console: vault:e2e-password (base64)")
                .contains("<skipped message=\"no &quot;UI&quot;\"/>")
                .contains("classname=\"kms-e2e.config\"");
    }
}
