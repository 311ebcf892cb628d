package io.jenkins.plugins.kmssecrets.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CredentialMappingTest {

    @Test
    void untaggedSecretIsSecretText() {
        CredentialMapping mapping = CredentialMapping.fromTags(Map.of());
        assertThat(mapping.type()).isEqualTo(CredentialType.STRING);
        assertThat(mapping.isUsable()).isTrue();
    }

    @Test
    void nullTagsAreSecretText() {
        assertThat(CredentialMapping.fromTags(null).type()).isEqualTo(CredentialType.STRING);
    }

    @Test
    void usernamePasswordTakesTheUsernameTag() {
        CredentialMapping mapping = CredentialMapping.fromTags(Map.of(CredentialMapping.TYPE_TAG, "usernamePassword",
                CredentialMapping.USERNAME_TAG, "netbox"));
        assertThat(mapping.type()).isEqualTo(CredentialType.USERNAME_PASSWORD);
        assertThat(mapping.username()).isEqualTo("netbox");
        assertThat(mapping.isUsable()).isTrue();
    }

    @Test
    void usernamePasswordWithoutUsernameExplainsWhatIsMissing() {
        CredentialMapping mapping = CredentialMapping.fromTags(Map.of(CredentialMapping.TYPE_TAG,
                "usernamePassword"));
        assertThat(mapping.isUsable()).isFalse();
        assertThat(mapping.problem()).contains(CredentialMapping.USERNAME_TAG);
    }

    @Test
    void propertyTagNamesTheJsonPropertyTheCredentialCarries() {
        CredentialMapping mapping = CredentialMapping.fromTags(Map.of(CredentialMapping.TYPE_TAG, "sshUserPrivateKey",
                CredentialMapping.PROPERTY_TAG, "keys.private_key"));
        assertThat(mapping.isUsable()).isTrue();
        assertThat(mapping.property()).isEqualTo("keys.private_key");
        assertThat(CredentialMapping.fromTags(Map.of()).property()).isNull();
    }

    @Test
    void malformedPropertyTagIsExplainedNotGuessed() {
        CredentialMapping mapping = CredentialMapping.fromTags(Map.of(CredentialMapping.PROPERTY_TAG, "a..b"));
        assertThat(mapping.isUsable()).isFalse();
        assertThat(mapping.problem()).startsWith("tag jenkins-credentials-property 'a..b' is not a property path");
    }

    @Test
    void fileTakesTheFilenameTag() {
        CredentialMapping mapping = CredentialMapping.fromTags(Map.of(CredentialMapping.TYPE_TAG, "file",
                CredentialMapping.FILENAME_TAG, "kubeconfig.yaml"));
        assertThat(mapping.type()).isEqualTo(CredentialType.FILE);
        assertThat(mapping.filename()).isEqualTo("kubeconfig.yaml");
        assertThat(mapping.isUsable()).isTrue();
    }

    @Test
    void fileWithoutFilenameExplainsWhatIsMissing() {
        CredentialMapping mapping = CredentialMapping.fromTags(Map.of(CredentialMapping.TYPE_TAG, "file"));
        assertThat(mapping.problem()).contains(CredentialMapping.FILENAME_TAG);
    }

    @Test
    void sshKeyNeedsNoUsername() {
        CredentialMapping mapping = CredentialMapping.fromTags(Map.of(CredentialMapping.TYPE_TAG,
                "sshUserPrivateKey"));
        assertThat(mapping.type()).isEqualTo(CredentialType.SSH_USER_PRIVATE_KEY);
        assertThat(mapping.isUsable()).isTrue();
    }

    @Test
    void unknownTypeIsReportedWithTheKnownOnes() {
        CredentialMapping mapping = CredentialMapping.fromTags(Map.of(CredentialMapping.TYPE_TAG, "awsKey"));
        assertThat(mapping.type()).isEqualTo(CredentialType.STRING);
        assertThat(mapping.problem()).contains("'awsKey'").contains("usernamePassword").contains("certificate");
    }

    @ParameterizedTest
    @CsvSource({"usernamePassword,USERNAME_PASSWORD", "usernamepassword,USERNAME_PASSWORD",
        "username-password,USERNAME_PASSWORD", "ssh_user_private_key,SSH_USER_PRIVATE_KEY",
        "CERTIFICATE,CERTIFICATE", "string,STRING"})
    void typeTagIgnoresCaseDashesAndUnderscoresForGoogleLabels(String tag, CredentialType expected) {
        assertThat(CredentialType.fromTagValue(tag)).isEqualTo(expected);
    }

    @Test
    void oneJsonSecretFeedsUsernameAndPasswordThroughPropertyTags() {
        CredentialMapping mapping = CredentialMapping.fromTags(Map.of(CredentialMapping.TYPE_TAG, "usernamePassword",
                CredentialMapping.USERNAME_PROPERTY_TAG, "username", CredentialMapping.PROPERTY_TAG, "password"));
        assertThat(mapping.isUsable()).isTrue();
        assertThat(mapping.username()).isNull();
        assertThat(mapping.usernameProperty()).isEqualTo("username");
        assertThat(mapping.property()).isEqualTo("password");
    }

    @Test
    void usernamePasswordWithNeitherUsernameTagNamesBoth() {
        CredentialMapping mapping = CredentialMapping.fromTags(Map.of(CredentialMapping.TYPE_TAG,
                "usernamePassword"));
        assertThat(mapping.problem()).contains(CredentialMapping.USERNAME_TAG)
                .contains(CredentialMapping.USERNAME_PROPERTY_TAG);
    }

    @Test
    void sshPassphraseComesFromAPropertyOrAnotherSecretNotBoth() {
        CredentialMapping fromSecret = CredentialMapping.fromTags(Map.of(CredentialMapping.TYPE_TAG,
                "sshUserPrivateKey", CredentialMapping.PASSPHRASE_SECRET_TAG, "deploy-key-passphrase"));
        assertThat(fromSecret.isUsable()).isTrue();
        assertThat(fromSecret.hasPassphrase()).isTrue();
        assertThat(fromSecret.passphraseSecretName()).isEqualTo("deploy-key-passphrase");
        assertThat(fromSecret.passphraseSecretProperty()).isNull();
        CredentialMapping fromVaultSecret = CredentialMapping.fromTags(Map.of(CredentialMapping.TYPE_TAG,
                "sshUserPrivateKey", CredentialMapping.PASSPHRASE_SECRET_TAG, "apps/deploy-key-passphrase#value"));
        assertThat(fromVaultSecret.passphraseSecretName()).isEqualTo("apps/deploy-key-passphrase");
        assertThat(fromVaultSecret.passphraseSecretProperty()).isEqualTo("value");
        CredentialMapping fromProperty = CredentialMapping.fromTags(Map.of(CredentialMapping.TYPE_TAG,
                "sshUserPrivateKey", CredentialMapping.PROPERTY_TAG, "key",
                CredentialMapping.PASSPHRASE_PROPERTY_TAG, "passphrase"));
        assertThat(fromProperty.passphraseProperty()).isEqualTo("passphrase");
        CredentialMapping both = CredentialMapping.fromTags(Map.of(CredentialMapping.TYPE_TAG,
                "sshUserPrivateKey", CredentialMapping.PASSPHRASE_SECRET_TAG, "x",
                CredentialMapping.PASSPHRASE_PROPERTY_TAG, "passphrase"));
        assertThat(both.isUsable()).isFalse();
        assertThat(both.problem()).contains("exclude each other");
        assertThat(CredentialMapping.fromTags(Map.of()).hasPassphrase()).isFalse();
    }

    @Test
    void idDescriptionAndScopeComeFromTags() {
        CredentialMapping mapping = CredentialMapping.fromTags(Map.of(CredentialMapping.ID_TAG, "netbox-db",
                CredentialMapping.DESCRIPTION_TAG, "NetBox database", CredentialMapping.SCOPE_TAG, "system"));
        assertThat(mapping.id()).isEqualTo("netbox-db");
        assertThat(mapping.description()).isEqualTo("NetBox database");
        assertThat(mapping.scope()).isEqualTo(CredentialScope.SYSTEM);
        assertThat(CredentialMapping.fromTags(Map.of()).scope()).isEqualTo(CredentialScope.GLOBAL);
    }

    @Test
    void badIdOrScopeIsExplained() {
        assertThat(CredentialMapping.fromTags(Map.of(CredentialMapping.ID_TAG, "a/b")).problem())
                .contains(CredentialMapping.ID_TAG).contains("'a/b'");
        assertThat(CredentialMapping.fromTags(Map.of(CredentialMapping.SCOPE_TAG, "user")).problem())
                .contains("'user'").contains("GLOBAL or SYSTEM");
    }

    @Test
    void unknownTypeKeepsTheDeclaredNameForAnotherPluginToClaim() {
        CredentialMapping mapping = CredentialMapping.fromTags(Map.of(CredentialMapping.TYPE_TAG, "awsKey"));
        assertThat(mapping.isKnownType()).isFalse();
        assertThat(mapping.declaredType()).isEqualTo("awsKey");
        assertThat(CredentialMapping.fromTags(Map.of(CredentialMapping.TYPE_TAG, "file",
                CredentialMapping.FILENAME_TAG, "f")).isKnownType()).isTrue();
        assertThat(CredentialMapping.fromTags(Map.of()).isKnownType()).isTrue();
    }
}
