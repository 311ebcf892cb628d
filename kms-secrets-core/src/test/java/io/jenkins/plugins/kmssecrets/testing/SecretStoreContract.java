package io.jenkins.plugins.kmssecrets.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.AccessDeniedException;
import io.jenkins.plugins.kmssecrets.store.CredentialMapping;
import io.jenkins.plugins.kmssecrets.store.CredentialType;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretNotFoundException;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreUnavailableException;
import io.jenkins.plugins.kmssecrets.store.cache.CachingSecretStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * The behaviour every {@link SecretStore} shares, as one abstract JUnit 5 suite. A store's test extends it and
 * supplies:
 * <ul>
 *   <li>{@link #fixtures()}: the names, versions and values its backend is seeded with. The backend must hold, at
 *       least: a plain text secret; a secret with two versions (unless {@link Fixtures#olderVersion()} is
 *       {@code null}, for stores without versions, which skips the version tests); a secret whose value is a JSON
 *       object (unless {@link Fixtures#jsonName()} is {@code null}); and no secret called
 *       {@link Fixtures#missingName()}.</li>
 *   <li>{@link #createStore()}: a new store over that backend. It is called lazily, at most once per test, after the
 *       subclass's own {@code @BeforeEach} methods, and closed after the test.</li>
 *   <li>{@link #valueReads()}: how many values the backend has served so far (GET secret for Azure, access version
 *       for Google, KV read for Vault, value decryptions for SOPS). Only differences are used.</li>
 *   <li>{@link #denyAccess()} and {@link #makeUnavailable()}: make every later call of the store be refused for lack
 *       of permission, or fail as if the backend were down. Both default to aborting the test (reported as skipped),
 *       for backends that cannot be in that state: a SOPS file has no permissions, for example.</li>
 *   <li>{@link #taggedSecret()}: a seeded secret and the tags (or labels, or custom metadata) the listing must carry
 *       for it, with the credential type they map to ({@link CredentialMapping}). Every store has one: a listing
 *       that loses metadata turns every secret into a Secret text credential and hides it from tag filters.</li>
 *   <li>{@link #listCarriesVersions()}: whether listing entries name the current version (Vault KV 2), so the suite
 *       asserts they agree with {@code describe}.</li>
 *   <li>{@link #cached()}: run the whole suite through a {@link CachingSecretStore} as the plugin does (a subclass
 *       that returns {@code true} is the store's cached variant).</li>
 * </ul>
 * Every test checks one behaviour; none reads a clock or sleeps.
 *
 * @since 0.1.0
 */
public abstract class SecretStoreContract {

    /**
     * The seeded secrets.
     *
     * @param storeId           the store id references use
     * @param plainName         a secret whose latest value is {@code plainValue}
     * @param plainValue        its value (text)
     * @param versionedName     a secret with at least two versions, or {@code null}
     * @param olderVersion      the id of a version of it other than the latest, or {@code null}
     * @param olderValue        the value of that older version
     * @param latestValue       the value of its latest version
     * @param jsonName          a secret whose value is a JSON object, or {@code null}
     * @param jsonProperty      a field of that object
     * @param jsonPropertyValue the field's (text) value
     * @param missingName       a syntactically valid name the store does not hold
     */
    public record Fixtures(String storeId, String plainName, String plainValue, String versionedName,
            String olderVersion, String olderValue, String latestValue, String jsonName, String jsonProperty,
            String jsonPropertyValue, String missingName) {

        /** Every fixture value, for leak checks. */
        public List<String> values() {
            List<String> values = new ArrayList<>();
            for (String v : new String[] {plainValue, olderValue, latestValue, jsonPropertyValue}) {
                if (v != null && !v.isEmpty()) {
                    values.add(v);
                }
            }
            return values;
        }
    }

    /**
     * A seeded secret and the metadata its listing entry must carry.
     *
     * @param name the secret's name
     * @param tags tags the entry must include (it may carry more)
     * @param type the credential type {@link CredentialMapping#fromTags} reads from the entry's tags
     */
    public record TaggedSecret(String name, Map<String, String> tags, CredentialType type) {
    }

    private SecretStore store;

    /** The seeded fixtures. */
    protected abstract Fixtures fixtures();

    /** A new store over the seeded backend. */
    protected abstract SecretStore createStore();

    /** Values the backend has served since it started. */
    protected abstract long valueReads();

    /** Makes every later call be refused for lack of permission; the default skips the calling test. */
    protected void denyAccess() {
        throw new TestAbortedException(getClass().getSimpleName() + " cannot deny access");
    }

    /** Makes every later call fail as if the backend were down; the default skips the calling test. */
    protected void makeUnavailable() {
        throw new TestAbortedException(getClass().getSimpleName() + " cannot be made unavailable");
    }

    /** The seeded secret whose listing entry must carry tags that map to a credential type. */
    protected abstract TaggedSecret taggedSecret();

    /** Whether list entries name the current version; the default is no (Azure, Google, SOPS, Vault KV 1). */
    protected boolean listCarriesVersions() {
        return false;
    }

    /** Whether the suite runs through a {@link CachingSecretStore}; the default is the plain store. */
    protected boolean cached() {
        return false;
    }

    /** The store under test, created on first use (wrapped in a cache when {@link #cached()}). */
    protected final SecretStore store() {
        if (store == null) {
            SecretStore created = Objects.requireNonNull(createStore(), "createStore()");
            // A direct executor and a long TTL: no refresh happens in the background during a test.
            store = cached() ? new CachingSecretStore(created, Duration.ofHours(1), Clock.systemUTC(), Runnable::run)
                    : created;
        }
        return store;
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
            store = null;
        }
    }

    private SecretReference ref(String name) {
        return SecretReference.of(fixtures().storeId(), name);
    }

    private SecretReference ref(String name, String version, String property) {
        return new SecretReference(fixtures().storeId(), name, version, property);
    }

    private String fetchText(SecretReference reference) {
        try (SecretValue value = store().fetch(reference)) {
            return value.asString();
        }
    }

    private long valueReadsDuring(Runnable action) {
        store();
        long before = valueReads();
        action.run();
        return valueReads() - before;
    }

    private void assumeVersions() {
        assumeTrue(fixtures().olderVersion() != null, "the store has no versions");
    }

    private void assumeJson() {
        assumeTrue(fixtures().jsonName() != null, "the store has no JSON-valued fixture");
    }

    // ---- list -------------------------------------------------------------------------------------------------

    @Test
    void listIncludesEverySeededSecret() {
        List<String> names = store().list().stream().map(SecretMetadata::name).toList();
        assertThat(names).contains(fixtures().plainName());
        if (fixtures().versionedName() != null) {
            assertThat(names).contains(fixtures().versionedName());
        }
        if (fixtures().jsonName() != null) {
            assertThat(names).contains(fixtures().jsonName());
        }
        assertThat(names).doesNotContain(fixtures().missingName());
    }

    @Test
    void listNamesTheStoreInEveryEntry() {
        assertThat(store().list()).allSatisfy(m -> assertThat(m.storeId()).isEqualTo(fixtures().storeId()));
    }

    @Test
    void listReadsNoValue() {
        assertThat(valueReadsDuring(() -> store().list())).isZero();
    }

    @Test
    void listCarriesTagsThatMapToTheCredentialType() {
        TaggedSecret tagged = taggedSecret();
        SecretMetadata listed = listed(tagged.name());
        assertThat(listed.tags()).containsAllEntriesOf(tagged.tags());
        CredentialMapping mapping = CredentialMapping.fromTags(listed.tags());
        assertThat(mapping.type()).isEqualTo(tagged.type());
        assertThat(mapping.problem()).isNull();
    }

    @Test
    void listEntryAgreesWithDescribe() {
        for (String name : new String[] {fixtures().plainName(), taggedSecret().name()}) {
            SecretMetadata listed = listed(name);
            SecretMetadata described = store().describe(ref(name));
            assertThat(listed.tags()).as("tags of %s", name).isEqualTo(described.tags());
            assertThat(listed.state()).as("state of %s", name).isEqualTo(described.state());
            assertThat(listed.enabled()).isTrue();
        }
    }

    @Test
    void listNamesTheCurrentVersionWhereTheBackendHasOne() {
        assumeTrue(listCarriesVersions(), "list entries carry no version");
        assumeVersions();
        SecretMetadata listed = listed(fixtures().versionedName());
        assertThat(listed.version()).isNotNull().isNotEqualTo(fixtures().olderVersion())
                .isEqualTo(store().describe(ref(fixtures().versionedName())).version());
        assertThat(listed(fixtures().plainName()).version()).isNotNull();
    }

    private SecretMetadata listed(String name) {
        return store().list().stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not listed"));
    }

    // ---- describe ---------------------------------------------------------------------------------------------

    @Test
    void describeReturnsTheSecretsMetadata() {
        SecretMetadata metadata = store().describe(ref(fixtures().plainName()));
        assertThat(metadata.name()).isEqualTo(fixtures().plainName());
        assertThat(metadata.storeId()).isEqualTo(fixtures().storeId());
        assertThat(metadata.enabled()).isTrue();
    }

    @Test
    void describeReadsNoValue() {
        assertThat(valueReadsDuring(() -> store().describe(ref(fixtures().plainName())))).isZero();
    }

    @Test
    void describeOfVersionedSecretNamesTheLatestVersion() {
        assumeVersions();
        SecretMetadata metadata = store().describe(ref(fixtures().versionedName()));
        assertThat(metadata.version()).isNotNull().isNotEqualTo(fixtures().olderVersion());
    }

    @Test
    void describeOfPinnedVersionReturnsThatVersion() {
        assumeVersions();
        SecretMetadata metadata = store().describe(ref(fixtures().versionedName(), fixtures().olderVersion(), null));
        assertThat(metadata.version()).isEqualTo(fixtures().olderVersion());
    }

    @Test
    void describeOfMissingSecretThrowsNotFound() {
        SecretNotFoundException e = catchThrowableOfType(SecretNotFoundException.class,
                () -> store().describe(ref(fixtures().missingName())));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains(fixtures().missingName()).contains(fixtures().storeId());
    }

    // ---- versions ---------------------------------------------------------------------------------------------

    @Test
    void versionsListsNewestFirst() {
        assumeVersions();
        List<SecretMetadata> versions = store().versions(fixtures().versionedName());
        assertThat(versions).hasSizeGreaterThanOrEqualTo(2);
        assertThat(versions).extracting(SecretMetadata::version).contains(fixtures().olderVersion());
        assertThat(versions.get(0).version()).isNotEqualTo(fixtures().olderVersion());
    }

    @Test
    void versionsReadNoValue() {
        assumeVersions();
        assertThat(valueReadsDuring(() -> store().versions(fixtures().versionedName()))).isZero();
    }

    @Test
    void versionsOfMissingSecretThrowNotFound() {
        assertThat(catchThrowableOfType(SecretNotFoundException.class,
                () -> store().versions(fixtures().missingName()))).isNotNull();
    }

    // ---- fetch ------------------------------------------------------------------------------------------------

    @Test
    void fetchReturnsTheValue() {
        assertThat(fetchText(ref(fixtures().plainName()))).isEqualTo(fixtures().plainValue());
    }

    @Test
    void fetchWithoutVersionReturnsTheLatestValue() {
        assumeVersions();
        assertThat(fetchText(ref(fixtures().versionedName()))).isEqualTo(fixtures().latestValue());
    }

    @Test
    void fetchOfPinnedVersionReturnsThatValue() {
        assumeVersions();
        assertThat(fetchText(ref(fixtures().versionedName(), fixtures().olderVersion(), null)))
                .isEqualTo(fixtures().olderValue());
    }

    @Test
    void fetchOfPropertyReturnsThatField() {
        assumeJson();
        assertThat(fetchText(ref(fixtures().jsonName(), null, fixtures().jsonProperty())))
                .isEqualTo(fixtures().jsonPropertyValue());
    }

    @Test
    void fetchOfMissingPropertyThrowsNotFoundWithoutEchoingTheValue() {
        assumeJson();
        SecretNotFoundException e = catchThrowableOfType(SecretNotFoundException.class,
                () -> store().fetch(ref(fixtures().jsonName(), null, "no-such-property")));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("no-such-property").doesNotContain(fixtures().jsonPropertyValue());
    }

    @Test
    void fetchOfMissingPinnedVersionNamesStoreSecretAndVersion() {
        assumeVersions();
        String missing = missingVersion();
        SecretNotFoundException e = catchThrowableOfType(SecretNotFoundException.class,
                () -> store().fetch(ref(fixtures().versionedName(), missing, null)));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("store '" + fixtures().storeId() + "'")
                .contains("secret '" + fixtures().versionedName()).contains(missing);
    }

    @Test
    void describeOfMissingPinnedVersionNamesStoreSecretAndVersion() {
        assumeVersions();
        String missing = missingVersion();
        SecretNotFoundException e = catchThrowableOfType(SecretNotFoundException.class,
                () -> store().describe(ref(fixtures().versionedName(), missing, null)));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("store '" + fixtures().storeId() + "'")
                .contains("secret '" + fixtures().versionedName()).contains(missing);
    }

    /** A version id of the store's syntax that the versioned secret does not have. */
    protected String missingVersion() {
        return "999";
    }

    @Test
    void fetchOfMissingSecretThrowsNotFound() {
        assertThat(catchThrowableOfType(SecretNotFoundException.class,
                () -> store().fetch(ref(fixtures().missingName())))).isNotNull();
    }

    @Test
    void fetchedValuePrintsMasked() {
        try (SecretValue value = store().fetch(ref(fixtures().plainName()))) {
            assertThat(value.toString()).doesNotContain(fixtures().plainValue());
        }
    }

    // ---- failures ---------------------------------------------------------------------------------------------

    @Test
    void deniedFetchThrowsAccessDenied() {
        store();
        denyAccess();
        assertThat(catchThrowableOfType(AccessDeniedException.class,
                () -> store().fetch(ref(fixtures().plainName())))).isNotNull();
    }

    @Test
    void deniedListThrowsAccessDenied() {
        store();
        denyAccess();
        assertThat(catchThrowableOfType(AccessDeniedException.class, () -> store().list())).isNotNull();
    }

    @Test
    void unavailableBackendFailsListAsRetryable() {
        store();
        makeUnavailable();
        StoreUnavailableException e = catchThrowableOfType(StoreUnavailableException.class, () -> store().list());
        assertThat(e).isNotNull();
        assertThat(e.isRetryable()).isTrue();
    }

    @Test
    void unavailableBackendFailsFetchAsRetryable() {
        store();
        makeUnavailable();
        assertThat(catchThrowableOfType(StoreUnavailableException.class,
                () -> store().fetch(ref(fixtures().plainName())))).isNotNull();
    }

    @Test
    void errorMessagesAndMetadataNeverContainValues() {
        List<String> texts = new ArrayList<>();
        store().list().forEach(m -> texts.add(m.toString()));
        texts.add(store().describe(ref(fixtures().plainName())).toString());
        texts.add(store().toString());
        texts.add(message(() -> store().fetch(ref(fixtures().missingName()))));
        if (fixtures().jsonName() != null) {
            texts.add(message(() -> store().fetch(ref(fixtures().jsonName(), null, "no-such-property"))));
            texts.add(message(() -> store().fetch(ref(fixtures().plainName(), null, "no-such-property"))));
        }
        for (Runnable failure : List.<Runnable>of(this::denyAccess, this::makeUnavailable)) {
            try {
                failure.run();
            } catch (TestAbortedException unsupported) {
                continue;
            }
            texts.add(message(() -> store().fetch(ref(fixtures().plainName()))));
            texts.add(message(() -> store().list()));
        }
        for (String text : texts) {
            for (String value : fixtures().values()) {
                assertThat(text).as("a message or toString").doesNotContain(value);
            }
        }
    }

    private static String message(Supplier<?> call) {
        try {
            call.get();
            return "";
        } catch (SecretStoreException e) {
            StringBuilder all = new StringBuilder(String.valueOf(e.getMessage()));
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                all.append(" | ").append(cause);
            }
            return all.toString();
        }
    }
}
