package io.jenkins.plugins.kmssecrets.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CredentialIdSchemeTest {

    @Test
    void idIsStoreIdDotName() {
        assertThat(CredentialIdScheme.idFor("akv-prod", "netbox-db-password")).isEqualTo("akv-prod.netbox-db-password");
    }

    @Test
    void charactersJenkinsRejectsBecomeDashes() {
        assertThat(CredentialIdScheme.idFor("vault", "apps/netbox#db pw")).isEqualTo("vault.apps-netbox-db-pw");
        assertThat(CredentialIdScheme.isValidId(CredentialIdScheme.idFor("local", "list[0].x"))).isTrue();
    }

    @Test
    void validIdsUseOnlyTheJenkinsAlphabet() {
        assertThat(CredentialIdScheme.isValidId("a.b_c-1")).isTrue();
        assertThat(CredentialIdScheme.isValidId("a/b")).isFalse();
        assertThat(CredentialIdScheme.isValidId("")).isFalse();
    }

    @Test
    void storeIdOfPicksTheLongestPrefixFollowedByTheSeparator() {
        Set<String> stores = Set.of("akv", "akv-prod", "local");
        assertThat(CredentialIdScheme.storeIdOf("akv-prod.secret", stores)).contains("akv-prod");
        assertThat(CredentialIdScheme.storeIdOf("akv.secret", stores)).contains("akv");
        assertThat(CredentialIdScheme.storeIdOf("akv-prodsecret", stores)).isEmpty();
        assertThat(CredentialIdScheme.storeIdOf("akv-prod.", stores)).isEmpty();
        assertThat(CredentialIdScheme.storeIdOf("other.secret", stores)).isEmpty();
    }

    @Test
    void firstSecretKeepsACollidingIdAndTheCollisionIsReportedByName() {
        List<SecretMetadata> listing = List.of(SecretMetadata.named("v", "apps/db"), SecretMetadata.named("v", "apps-db"),
                SecretMetadata.named("v", "other"));
        CredentialIdScheme.Assignment assignment = CredentialIdScheme.assign("v", listing);
        assertThat(assignment.byId().keySet()).containsExactly("v.apps-db", "v.other");
        assertThat(assignment.byId().get("v.apps-db").name()).isEqualTo("apps/db");
        assertThat(assignment.collisions()).containsExactly("secrets 'apps/db' and 'apps-db' of store 'v' both map "
                + "to credential id 'v.apps-db'; only the first is offered");
    }

    private static SecretMetadata tagged(String name, java.util.Map<String, String> tags) {
        SecretMetadata m = SecretMetadata.named("v", name);
        return new SecretMetadata(m.storeId(), m.name(), m.version(), m.enabled(), m.created(), m.updated(),
                m.notBefore(), m.expiresOn(), tags, m.contentType(), m.state());
    }

    @Test
    void storePrefixReplacesTheStoreIdAndAnExplicitIdTagIsUsedAsGiven() {
        List<SecretMetadata> listing = List.of(SecretMetadata.named("v", "apps/db"),
                tagged("deploy-key", java.util.Map.of("jenkins-credentials-id", "github-deploy")));
        CredentialIdScheme.Assignment prefixed = CredentialIdScheme.assign("v", "prod-", listing);
        assertThat(prefixed.byId().keySet()).containsExactly("prod-apps-db", "github-deploy");
        CredentialIdScheme.Assignment defaults = CredentialIdScheme.assign("v", null, listing);
        assertThat(defaults.byId().keySet()).containsExactly("v.apps-db", "github-deploy");
        assertThat(CredentialIdScheme.prefix("v", "")).isEqualTo("v.");
    }

    @Test
    void explicitIdThatCollidesWithADerivedOneLosesAndIsReported() {
        List<SecretMetadata> listing = List.of(SecretMetadata.named("v", "a"),
                tagged("b", java.util.Map.of("jenkins-credentials-id", "v.a")));
        CredentialIdScheme.Assignment assignment = CredentialIdScheme.assign("v", null, listing);
        assertThat(assignment.byId()).hasSize(1);
        assertThat(assignment.byId().get("v.a").name()).isEqualTo("a");
        assertThat(assignment.collisions()).singleElement().asString().contains("'b'").contains("'v.a'");
    }

    @Test
    void anInvalidExplicitIdIsIgnoredForTheDerivedOne() {
        List<SecretMetadata> listing = List.of(tagged("b", java.util.Map.of("jenkins-credentials-id", "no/slash")));
        assertThat(CredentialIdScheme.assign("v", null, listing).byId().keySet()).containsExactly("v.b");
    }
}
