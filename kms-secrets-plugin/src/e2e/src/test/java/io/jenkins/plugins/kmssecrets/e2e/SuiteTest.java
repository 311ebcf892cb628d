package io.jenkins.plugins.kmssecrets.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The suite in pipelines/ is well formed: every pipeline has its expectation and instantiates for its stores. */
class SuiteTest {

    private static final E2eCorpus CORPUS = E2eCorpus.create("t3st00");

    @Test
    void everyPipelineInstantiatesForEveryStoreItNames() {
        List<PipelineCase> cases = PipelineCase.load(Path.of("pipelines"));
        assertThat(cases).extracting(PipelineCase::name).contains("with-kms-secrets-inline", "with-kms-secrets-manifest",
                "with-kms-secrets-multiline", "with-kms-secrets-parallel", "with-kms-secrets-exception",
                "with-kms-secrets-restart", "with-credentials-string", "with-credentials-username-password",
                "with-credentials-file", "with-credentials-ssh", "with-credentials-certificate",
                "declarative-environment", "smoke-test", "eso-declare-validate", "eso-sync", "outage");
        int instances = 0;
        for (PipelineCase c : cases) {
            assertThat(c.stores()).as(c.name()).isNotEmpty();
            for (String store : c.stores()) {
                Placeholders p = Placeholders.forStore(CORPUS, store);
                String script = c.scriptFor(p);
                Expectation e = c.expectationFor(p);
                assertThat(script).as(c.name() + " " + store).doesNotContainPattern("@[A-Z][A-Z0-9_]*@");
                // ASCII only: the script-approval hash must survive any charset a Jenkins reads config.xml with.
                assertThat(script).as(c.name() + " is ASCII").matches("\\p{ASCII}*");
                assertThat(e.result()).isNotNull();
                for (String value : CORPUS.allValues()) {
                    assertThat(script).as("a pipeline never holds a value").doesNotContain(value);
                }
                instances++;
            }
        }
        assertThat(instances).isGreaterThan(40);
    }

    @Test
    void aPipelineWithoutExpectationIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("lonely.groovy"), "node {}");
        assertThatThrownBy(() -> PipelineCase.load(dir)).hasMessageContaining("lonely.groovy: no expectation beside it");
    }

    @Test
    void unknownPlaceholderNamesFileAndLine() {
        Placeholders p = Placeholders.forStore(CORPUS, "sops");
        assertThatThrownBy(() -> p.apply("x.groovy", "node {\n echo '@CRED_USERPASS@'\n}"))
                .hasMessage("x.groovy:2: unknown placeholder @CRED_USERPASS@ for store type sops");
    }

    @Test
    void placeholdersCarryIdsAndDigestsOnly() {
        Placeholders vault = Placeholders.forStore(CORPUS, "vault");
        assertThat(vault.get("STORE")).isEqualTo("e2e-vault");
        assertThat(vault.get("CRED_PASSWORD")).isEqualTo("e2e-vault.e2e-password");
        assertThat(vault.get("REF_PASSWORD")).isEqualTo("e2e-vault:e2e-password#value");
        // The suite's Vault secrets carry jenkins-credentials-property=value: the credential holds the value itself.
        assertThat(vault.get("SHA_PASSWORD")).hasSize(64).isEqualTo(vault.get("REFSHA_PASSWORD"));
        Placeholders akv = Placeholders.forStore(CORPUS, "akv");
        assertThat(akv.get("REF_PASSWORD")).isEqualTo("e2e-akv:e2e-password");
        assertThat(akv.get("SHA_PASSWORD")).isEqualTo(akv.get("REFSHA_PASSWORD"));
        assertThat(Placeholders.credentialId("e2e-vault", "apps/netbox")).isEqualTo("e2e-vault.apps-netbox");
    }

    @Test
    void theLockedRotateReferenceGoesThroughAStoreThatDoesNotAllowRotation() {
        Placeholders akv = Placeholders.forStore(CORPUS, "akv");
        assertThat(akv.get("REF_ROTATE")).startsWith("e2e-akv:");
        assertThat(akv.get("REF_ROTATE_LOCKED")).isEqualTo("e2e-akv-cert:" + akv.get("NAME_ROTATE"));
        Placeholders vault = Placeholders.forStore(CORPUS, "vault");
        assertThat(vault.get("REF_ROTATE_LOCKED")).isEqualTo(vault.get("REF_ROTATE"));
        assertThat(Placeholders.forStore(CORPUS, "gsm").get("REF_ROTATE_LOCKED")).isNull();
    }

    @Test
    void jobXmlEscapesTheScript() {
        String xml = E2eRunner.jobXml("a <b>", "echo \"x\" && y < z\nnext");
        assertThat(xml).contains("<script>echo &quot;x&quot; &amp;&amp; y &lt; z&#10;next</script>")
                .contains("<sandbox>false</sandbox>").contains("kms-secrets e2e: a &lt;b&gt;");
    }
}
