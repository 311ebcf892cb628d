package io.jenkins.plugins.kmssecrets.jenkins;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsNameProvider;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsStore;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import com.cloudbees.plugins.credentials.domains.Domain;
import hudson.ExtensionList;
import hudson.model.User;
import hudson.security.ACL;
import io.jenkins.plugins.kmssecrets.jenkins.config.KmsSecretsConfiguration;
import io.jenkins.plugins.kmssecrets.jenkins.credentials.KmsCredentialsProvider;
import io.jenkins.plugins.kmssecrets.jenkins.monitor.StoreHealthMonitor;
import io.jenkins.plugins.kmssecrets.store.CredentialMapping;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.StoreUnavailableException;
import io.jenkins.plugins.kmssecrets.testing.InMemorySecretStore;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class KmsCredentialsProviderTest {

    private static final String TOKEN = "tok-3f9a1c7e5b";
    private static final String DB_PASSWORD = "db-pw-71c2e9aa";

    private InMemorySecretStore memory;

    @BeforeEach
    void store() {
        memory = new InMemorySecretStore("mem")
                .put("api-token", TOKEN)
                .put(new SecretMetadata("mem", "netbox-db", null, true, null, null, null, null,
                        Map.of(CredentialMapping.TYPE_TAG, "usernamePassword",
                                CredentialMapping.USERNAME_TAG, "netbox"), null), DB_PASSWORD)
                .put(new SecretMetadata("mem", "retired", null, false, null, null, null, null, Map.of(), null), "x");
        MemoryStoreConfig.STORES.put("mem", memory);
    }

    @AfterEach
    void clear() {
        MemoryStoreConfig.STORES.clear();
    }

    private static void configure() {
        KmsSecretsConfiguration.get().setStores(List.of(new MemoryStoreConfig("mem")));
    }

    @Test
    void listsEnabledSecretsAsCredentialsWithoutReadingValues(JenkinsRule r) {
        configure();
        List<StandardCredentials> listed = CredentialsProvider.lookupCredentialsInItemGroup(
                StandardCredentials.class, r.jenkins, ACL.SYSTEM2, List.of());
        List<String> ids = listed.stream().map(IdCredentials::getId).filter(id -> id.startsWith("mem.")).toList();
        assertThat(ids, containsInAnyOrder("mem.api-token", "mem.netbox-db"));
        assertEquals(0, memory.valueReads());
    }

    @Test
    void typeTagSelectsTheCredentialType(JenkinsRule r) {
        configure();
        StandardUsernamePasswordCredentials db = CredentialsMatchers.firstOrNull(
                CredentialsProvider.lookupCredentialsInItemGroup(StandardUsernamePasswordCredentials.class, r.jenkins,
                        ACL.SYSTEM2, List.of()), CredentialsMatchers.withId("mem.netbox-db"));
        assertNotNull(db);
        assertEquals("netbox", db.getUsername());
        assertEquals(0, memory.valueReads());
        assertEquals(DB_PASSWORD, db.getPassword().getPlainText());
        assertEquals(1, memory.valueReads());
    }

    @Test
    void lookupByIdReadsTheValueOnlyWhenAsked(JenkinsRule r) {
        configure();
        StringCredentials token = CredentialsProvider.findCredentialByIdInItemGroup("mem.api-token",
                StringCredentials.class, r.jenkins, ACL.SYSTEM2, List.of());
        assertNotNull(token);
        assertEquals(0, memory.valueReads());
        assertEquals(TOKEN, token.getSecret().getPlainText());
        assertEquals(1, memory.valueReads());
    }

    @Test
    void otherIdentitiesSeeNothing(JenkinsRule r) {
        configure();
        List<StandardCredentials> asAlice = CredentialsProvider.lookupCredentialsInItemGroup(
                StandardCredentials.class, r.jenkins, User.getById("alice", true).impersonate2(), List.of());
        assertThat(asAlice.stream().filter(c -> c.getId().startsWith("mem.")).toList(), is(empty()));
    }

    @Test
    void snapshotCarriesTheValueSoAgentsNeverCallTheStore(JenkinsRule r) {
        configure();
        StringCredentials token = CredentialsProvider.findCredentialByIdInItemGroup("mem.api-token",
                StringCredentials.class, r.jenkins, ACL.SYSTEM2, List.of());
        StringCredentials snapshot = CredentialsProvider.snapshot(StringCredentials.class, token);
        memory.failWith(name -> new StoreUnavailableException("mem", name, "backend down"));
        assertEquals(TOKEN, snapshot.getSecret().getPlainText());
    }

    @Test
    void outageKeepsTheLastKnownGoodListAndRaisesTheMonitor(JenkinsRule r) {
        configure();
        assertEquals(2, kmsCredentials(r).size());
        memory.failWith(name -> new StoreUnavailableException("mem", name, "backend down"));
        KmsSecretsConfiguration.get().runtime().store("mem").refreshNow();
        assertEquals(2, kmsCredentials(r).size());
        StoreHealthMonitor monitor = ExtensionList.lookupSingleton(StoreHealthMonitor.class);
        assertTrue(monitor.isActivated());
        assertThat(String.join("\n", monitor.getProblems()), containsString("backend down"));
    }

    @Test
    void storeRefusesChangesNamingTheBackend(JenkinsRule r) throws Exception {
        configure();
        CredentialsStore store = ExtensionList.lookupSingleton(KmsCredentialsProvider.class).getStore(r.jenkins);
        assertNotNull(store);
        StandardCredentials token = kmsCredentials(r).get(0);
        UnsupportedOperationException refused = assertThrows(UnsupportedOperationException.class,
                () -> store.removeCredentials(Domain.global(), token));
        assertThat(refused.getMessage(), containsString("store mem"));
        assertThat(store.getCredentials(Domain.global()).size(), is(2));
    }

    @Test
    void storeAndCredentialsShowReadableNamesWithoutReadingValues(JenkinsRule r) {
        configure();
        CredentialsStore store = ExtensionList.lookupSingleton(KmsCredentialsProvider.class).getStore(r.jenkins);
        assertNotNull(store);
        assertEquals("KMS Secrets (read-only)", store.getDisplayName());
        StandardCredentials token = CredentialsMatchers.firstOrNull(kmsCredentials(r),
                CredentialsMatchers.withId("mem.api-token"));
        assertNotNull(token);
        assertEquals("api-token (Secret text from a KMS store)", CredentialsNameProvider.name(token));
        assertEquals("Secret api-token in store mem", token.getDescription());
        assertEquals(0, memory.valueReads());
    }

    @Test
    void firstListingFailureShowsNeverListedInTheMonitor(JenkinsRule r) {
        memory.failWith(name -> new StoreUnavailableException("mem", name, "backend down"));
        configure();
        assertThat(kmsCredentials(r), is(empty()));
        StoreHealthMonitor monitor = ExtensionList.lookupSingleton(StoreHealthMonitor.class);
        assertTrue(monitor.isActivated());
        String problems = String.join("\n", monitor.getProblems());
        assertThat(problems, containsString("Store mem (memory): never listed ("));
        assertThat(problems, containsString("backend down"));
    }

    @Test
    void unknownIdIsNotFound(JenkinsRule r) {
        configure();
        assertNull(CredentialsProvider.findCredentialByIdInItemGroup("mem.nope", StringCredentials.class,
                r.jenkins, ACL.SYSTEM2, List.of()));
        assertThat(CredentialsProvider.findCredentialByIdInItemGroup("mem.api-token", StandardCredentials.class,
                r.jenkins, ACL.SYSTEM2, List.of()), instanceOf(StringCredentials.class));
    }

    private static List<StandardCredentials> kmsCredentials(JenkinsRule r) {
        return CredentialsProvider.lookupCredentialsInItemGroup(StandardCredentials.class, r.jenkins, ACL.SYSTEM2,
                List.of()).stream().filter(c -> c.getId().startsWith("mem.")).toList();
    }
}
