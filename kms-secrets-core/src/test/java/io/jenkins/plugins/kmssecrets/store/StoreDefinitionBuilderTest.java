package io.jenkins.plugins.kmssecrets.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreDefinitionBuilderTest {

    @Test
    void blankFieldsAreLeftOutSoStoreDefaultsApply() {
        StoreDefinition definition = StoreDefinitionBuilder.of(" akv-prod ", "azure-key-vault")
                .set("vaultUrl", " https://x.vault.azure.net/ ")
                .set("tenantId", "")
                .set("clientId", (String) null)
                .set("maxRetries", (Integer) null)
                .set("tagFilter", Map.of())
                .build();
        assertThat(definition.id()).isEqualTo("akv-prod");
        assertThat(definition.settings()).containsExactly(Map.entry("vaultUrl", "https://x.vault.azure.net/"));
    }

    @Test
    void typedValuesAreStoredAsTheManifestWouldHoldThem() {
        StoreDefinition definition = StoreDefinitionBuilder.of("v", "vault").set("maxRetries", 3)
                .set("tls", true).set("tags", Map.of("a", "b")).build();
        assertThat(definition.integer("maxRetries", 0)).isEqualTo(3);
        assertThat(definition.bool("tls", false)).isTrue();
        assertThat(definition.settings().get("tags")).isEqualTo(Map.of("a", "b"));
    }

    @Test
    void settingABlankValueRemovesAnEarlierOne() {
        StoreDefinition definition = StoreDefinitionBuilder.of("v", "vault").set("a", "1").set("a", " ").build();
        assertThat(definition.settings()).isEmpty();
    }

    @Test
    void invalidStoreIdIsRejected() {
        assertThatThrownBy(() -> StoreDefinitionBuilder.of("Prod Vault", "vault").build())
                .isInstanceOf(MisconfiguredException.class)
                .hasMessage("store 'Prod Vault': store id 'Prod Vault' is not valid; use a lower-case letter followed "
                        + "by lower-case letters, digits, '-' or '_'");
    }
}
