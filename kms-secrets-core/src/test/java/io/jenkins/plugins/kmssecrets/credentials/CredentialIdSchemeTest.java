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
}
