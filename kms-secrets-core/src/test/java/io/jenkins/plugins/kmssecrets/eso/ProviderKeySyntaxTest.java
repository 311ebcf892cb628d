package io.jenkins.plugins.kmssecrets.eso;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Provider key syntax for Azure Key Vault, Google Secret Manager and HashiCorp Vault. */
class ProviderKeySyntaxTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "AZURE_KEY_VAULT, netbox-db-password, true",
        "AZURE_KEY_VAULT, secret/netbox-db, true",
        "AZURE_KEY_VAULT, cert/tls, true",
        "AZURE_KEY_VAULT, key/signing, true",
        "AZURE_KEY_VAULT, netbox_db, false",
        "AZURE_KEY_VAULT, secrets/netbox, false",
        "AZURE_KEY_VAULT, secret/, false",
        "GOOGLE_SECRET_MANAGER, netbox_db-password, true",
        "GOOGLE_SECRET_MANAGER, netbox.db, false",
        "GOOGLE_SECRET_MANAGER, projects/p/secrets/x, false",
        "HASHICORP_VAULT, secret/data/netbox, true",
        "HASHICORP_VAULT, apps/netbox-db, true",
        "HASHICORP_VAULT, /absolute, false",
        "HASHICORP_VAULT, a//b, false",
        "HASHICORP_VAULT, a/../b, false",
        "HASHICORP_VAULT, a/b/, false",
    })
    void keySyntax(ProviderKeySyntax syntax, String key, boolean valid) {
        assertThat(syntax.problem(key) == null).as(syntax + " " + key).isEqualTo(valid);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"128, false", "127, true", "1, true"})
    void azureNamesAreAtMost127Characters(int length, boolean valid) {
        assertThat(ProviderKeySyntax.AZURE_KEY_VAULT.problem("a".repeat(length)) == null).isEqualTo(valid);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"255, true", "256, false"})
    void googleIdsAreAtMost255Characters(int length, boolean valid) {
        assertThat(ProviderKeySyntax.GOOGLE_SECRET_MANAGER.problem("a".repeat(length)) == null).isEqualTo(valid);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"azurekv, AZURE_KEY_VAULT", "gcpsm, GOOGLE_SECRET_MANAGER", "vault, HASHICORP_VAULT"})
    void esoProviderKeysMapToSyntax(String provider, ProviderKeySyntax syntax) {
        assertThat(ProviderKeySyntax.forEsoProvider(provider)).isEqualTo(syntax);
    }
}
