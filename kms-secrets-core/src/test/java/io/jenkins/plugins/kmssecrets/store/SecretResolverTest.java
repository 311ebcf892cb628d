package io.jenkins.plugins.kmssecrets.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.testing.InMemorySecretStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class SecretResolverTest {

    private final InMemorySecretStore a = new InMemorySecretStore("a").put("one", "value-one").put("two", "value-two");
    private final InMemorySecretStore b = new InMemorySecretStore("b").put("three", "value-three");

    @Test
    void resolvesAcrossStoresKeepingOrder() {
        Map<String, SecretReference> refs = new LinkedHashMap<>();
        refs.put("THREE", SecretReference.of("b", "three"));
        refs.put("ONE", SecretReference.of("a", "one"));
        refs.put("TWO", SecretReference.of("a", "two"));
        try (ResolvedSecrets resolved = new SecretResolver(StoreSet.of(a, b), 4).resolve(refs)) {
            assertThat(resolved.values().keySet()).containsExactly("THREE", "ONE", "TWO");
            assertThat(resolved.values().get("ONE").asString()).isEqualTo("value-one");
            assertThat(resolved.toString()).isEqualTo("ResolvedSecrets[THREE, ONE, TWO]");
        }
        assertThat(a.valueReads()).isEqualTo(2);
        assertThat(b.valueReads()).isEqualTo(1);
    }

    @Test
    void closingWipesEveryValue() {
        ResolvedSecrets resolved = new SecretResolver(StoreSet.of(a), 2)
                .resolve(Map.of("ONE", SecretReference.of("a", "one")));
        SecretValue value = resolved.values().get("ONE");
        resolved.close();
        assertThat(value.isWiped()).isTrue();
    }

    @Test
    void reportsEveryFailureAndReturnsNothing() {
        Map<String, SecretReference> refs = new LinkedHashMap<>();
        refs.put("ONE", SecretReference.of("a", "one"));
        refs.put("MISSING", SecretReference.of("a", "missing"));
        refs.put("NOSTORE", SecretReference.of("zzz", "x"));
        UnresolvedSecretsException e = catchThrowableOfType(UnresolvedSecretsException.class,
                () -> new SecretResolver(StoreSet.of(a, b), 4).resolve(refs));
        assertThat(e.failures()).extracting(UnresolvedSecretsException.Failure::label)
                .containsExactly("MISSING", "NOSTORE");
        assertThat(e.failures().get(0).error()).isInstanceOf(SecretNotFoundException.class);
        assertThat(e.failures().get(1).error()).isInstanceOf(MisconfiguredException.class);
        assertThat(e.lines()).containsExactly(
                "store 'a', secret 'missing' (MISSING): no such secret",
                "store 'zzz', secret 'x' (NOSTORE): unknown store id; known stores: a, b");
        assertThat(e).hasMessage("could not fetch 2 of 3 secrets: store 'a', secret 'missing' (MISSING): no such "
                + "secret; store 'zzz', secret 'x' (NOSTORE): unknown store id; known stores: a, b");
        assertThat(e.isRetryable()).isFalse();
    }

    @Test
    void aStoreWideFailureNamesEveryReferenceItHitWithVersionAndProperty() {
        // The store's error names no secret (a sign-in or connection failure); the resolver names them all.
        a.failWith(name -> new StoreUnavailableException("a", null, "cannot reach the store at http://127.0.0.1:1/"));
        Map<String, SecretReference> refs = new LinkedHashMap<>();
        refs.put("ONE", SecretReference.of("a", "one"));
        refs.put("TWO_USER", SecretReference.parse("a:two@7#user"));
        refs.put("TWO_PASSWORD", SecretReference.parse("a:two@7#password"));
        refs.put("ONE_AGAIN", SecretReference.of("a", "one"));
        UnresolvedSecretsException e = catchThrowableOfType(UnresolvedSecretsException.class,
                () -> new SecretResolver(StoreSet.of(a, b), 4).resolve(refs));
        assertThat(e.lines()).containsExactly("store 'a', secrets 'one' (ONE, ONE_AGAIN), 'two@7#user' (TWO_USER), "
                + "'two@7#password' (TWO_PASSWORD): cannot reach the store at http://127.0.0.1:1/");
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.storeId()).isEqualTo("a");
    }

    @Test
    void theSameValueIsFetchedOncePerRunWhateverItsLabelsAndProperties() {
        InMemorySecretStore json = new InMemorySecretStore("j")
                .put("db", "{\"user\":\"svc\",\"password\":\"pw-12\",\"pool\":{\"max\":20}}")
                .put("other", "plain-13");
        Map<String, SecretReference> refs = new LinkedHashMap<>();
        refs.put("DB_USER", SecretReference.parse("j:db#user"));
        refs.put("DB_PASSWORD", SecretReference.parse("j:db#password"));
        refs.put("DB_POOL_MAX", SecretReference.parse("j:db#pool.max"));
        refs.put("DB_JSON", SecretReference.parse("j:db"));
        refs.put("OTHER", SecretReference.parse("j:other"));
        refs.put("OTHER_AGAIN", SecretReference.parse("j:other"));
        try (ResolvedSecrets resolved = new SecretResolver(StoreSet.of(json), 4).resolve(refs)) {
            assertThat(resolved.values().get("DB_USER").asString()).isEqualTo("svc");
            assertThat(resolved.values().get("DB_PASSWORD").asString()).isEqualTo("pw-12");
            assertThat(resolved.values().get("DB_POOL_MAX").asString()).isEqualTo("20");
            assertThat(resolved.values().get("DB_JSON").asString()).startsWith("{\"user\"");
            assertThat(resolved.values().get("OTHER_AGAIN").asString()).isEqualTo("plain-13");
            // each label owns its value: wiping one leaves the others
            resolved.values().get("OTHER").wipe();
            assertThat(resolved.values().get("OTHER_AGAIN").asString()).isEqualTo("plain-13");
        }
        assertThat(json.valueReads()).isEqualTo(2);
    }

    @Test
    void aMissingPropertyFailsNamingTheProperty() {
        InMemorySecretStore json = new InMemorySecretStore("j").put("db", "{\"user\":\"svc-14\"}");
        Map<String, SecretReference> refs = new LinkedHashMap<>();
        refs.put("DB_USER", SecretReference.parse("j:db#user"));
        refs.put("DB_PASSWORD", SecretReference.parse("j:db#password"));
        UnresolvedSecretsException e = catchThrowableOfType(UnresolvedSecretsException.class,
                () -> new SecretResolver(StoreSet.of(json), 4).resolve(refs));
        assertThat(e.lines()).containsExactly(
                "store 'j', secret 'db#password' (DB_PASSWORD): the JSON value has no property 'password'");
        assertThat(e.failures().get(0).error()).isInstanceOf(SecretNotFoundException.class);
        assertThat(e.getMessage()).doesNotContain("svc-14");
    }

    @Test
    void valuesAlreadyFetchedAreWipedWhenAnotherFetchFails() {
        HandingOutStore store = new HandingOutStore(() -> {
            throw new AccessDeniedException("h", "broken", "denied");
        }, () -> { });
        Map<String, SecretReference> refs = new LinkedHashMap<>();
        refs.put("BROKEN", SecretReference.of("h", "broken"));
        refs.put("ONE", SecretReference.of("h", "one"));
        refs.put("ONE_USER", SecretReference.parse("h:one#user"));

        assertThatThrownBy(() -> new SecretResolver(StoreSet.of(store), 4).resolve(refs))
                .isInstanceOf(UnresolvedSecretsException.class);
        assertThat(store.handedOut).hasSize(1).allSatisfy(value -> assertThat(value.isWiped()).isTrue());
    }

    @Test
    void valuesAlreadyFetchedAreWipedWhenAFetchThrowsAnUnexpectedRuntimeException() {
        HandingOutStore store = new HandingOutStore(() -> {
            throw new IllegalStateException("not a store error");
        }, () -> { });
        Map<String, SecretReference> refs = new LinkedHashMap<>();
        refs.put("BROKEN", SecretReference.of("h", "broken"));
        refs.put("ONE", SecretReference.of("h", "one"));
        refs.put("TWO", SecretReference.of("h", "two"));

        assertThatThrownBy(() -> new SecretResolver(StoreSet.of(store), 4).resolve(refs))
                .isInstanceOf(IllegalStateException.class).hasMessage("not a store error");
        assertThat(store.handedOut).hasSize(2).allSatisfy(value -> assertThat(value.isWiped()).isTrue());
    }

    @Test
    void valuesAlreadyFetchedAreWipedWhenAFetchThrowsAnError() {
        HandingOutStore store = new HandingOutStore(() -> {
            throw new AssertionError("boom");
        }, () -> { });
        Map<String, SecretReference> refs = new LinkedHashMap<>();
        refs.put("BROKEN", SecretReference.of("h", "broken"));
        refs.put("ONE", SecretReference.of("h", "one"));
        refs.put("TWO", SecretReference.of("h", "two"));

        assertThatThrownBy(() -> new SecretResolver(StoreSet.of(store), 4).resolve(refs))
                .isInstanceOf(AssertionError.class);
        assertThat(store.handedOut).allSatisfy(value -> assertThat(value.isWiped()).isTrue());
    }

    @Test
    void valuesFetchedWhileTheCallerIsInterruptedAreWiped() throws Exception {
        // Each fetch blocks until the resolver, interrupted while waiting, stops the pool; then it hands a value out.
        // Two stores, so that their first fetches run on the pool together.
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(2);
        Runnable blocked = () -> {
            started.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                // released by the pool shutting down
            }
        };
        HandingOutStore store = new HandingOutStore("h", () -> null, blocked);
        HandingOutStore other = new HandingOutStore("i", () -> null, blocked);
        Map<String, SecretReference> refs = new LinkedHashMap<>();
        refs.put("ONE", SecretReference.of("h", "one"));
        refs.put("TWO", SecretReference.of("i", "two"));

        java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean stillInterrupted = new java.util.concurrent.atomic.AtomicBoolean();
        Thread caller = new Thread(() -> {
            try {
                new SecretResolver(StoreSet.of(store, other), 4).resolve(refs);
            } catch (Throwable t) {
                thrown.set(t);
            }
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        caller.start();
        started.await();
        caller.interrupt();
        caller.join();

        assertThat(thrown.get()).isInstanceOf(IllegalStateException.class).hasMessage("interrupted");
        assertThat(stillInterrupted).isTrue();
        assertThat(store.handedOut).hasSize(1).allSatisfy(value -> assertThat(value.isWiped()).isTrue());
        assertThat(other.handedOut).hasSize(1).allSatisfy(value -> assertThat(value.isWiped()).isTrue());
    }

    @Test
    void anInterruptedCallerFetchesNothing() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> new SecretResolver(StoreSet.of(a), 4)
                    .resolve(Map.of("ONE", SecretReference.of("a", "one"))))
                    .isInstanceOf(IllegalStateException.class).hasMessage("interrupted");
        } finally {
            assertThat(Thread.interrupted()).isTrue();
        }
        assertThat(a.valueReads()).isZero();
    }

    @Test
    void aStoreThatIsDownCostsOneFetchAndItsOtherReferencesFailAtOnceNamed() {
        java.util.concurrent.atomic.AtomicInteger fetches = new java.util.concurrent.atomic.AtomicInteger();
        HandingOutStore down = new HandingOutStore("h", () -> null, () -> {
            fetches.incrementAndGet();
            throw new StoreUnavailableException("h", null, "cannot reach h at http://127.0.0.1:1/");
        });
        Map<String, SecretReference> refs = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            refs.put("S" + i, SecretReference.of("h", "s" + i));
        }
        refs.put("ONE", SecretReference.of("a", "one"));

        UnresolvedSecretsException e = catchThrowableOfType(UnresolvedSecretsException.class,
                () -> new SecretResolver(StoreSet.of(down, a), 4).resolve(refs));

        assertThat(fetches.get()).isEqualTo(1);
        assertThat(e.failures()).hasSize(10);
        assertThat(e.lines()).containsExactly("store 'h', secrets 's0' (S0), 's1' (S1), 's2' (S2), 's3' (S3), "
                + "'s4' (S4), 's5' (S5), 's6' (S6), 's7' (S7), 's8' (S8), 's9' (S9): cannot reach h at "
                + "http://127.0.0.1:1/");
        assertThat(a.valueReads()).isEqualTo(1);
    }

    @Test
    void aSecretThatIsMissingDoesNotFailTheStoresOtherSecrets() {
        Map<String, SecretReference> refs = new LinkedHashMap<>();
        refs.put("MISSING", SecretReference.of("a", "missing"));
        refs.put("ONE", SecretReference.of("a", "one"));
        refs.put("TWO", SecretReference.of("a", "two"));

        UnresolvedSecretsException e = catchThrowableOfType(UnresolvedSecretsException.class,
                () -> new SecretResolver(StoreSet.of(a), 4).resolve(refs));

        assertThat(e.failures()).extracting(UnresolvedSecretsException.Failure::label).containsExactly("MISSING");
        assertThat(a.valueReads()).isEqualTo(3);
    }

    /** Hands out a fresh value per fetch (recording it) after running {@code beforeValue}; "broken" runs {@code broken}. */
    private static final class HandingOutStore implements SecretStore {
        final List<SecretValue> handedOut = new CopyOnWriteArrayList<>();
        private final String id;
        private final Supplier<SecretValue> broken;
        private final Runnable beforeValue;

        HandingOutStore(Supplier<SecretValue> broken, Runnable beforeValue) {
            this("h", broken, beforeValue);
        }

        HandingOutStore(String id, Supplier<SecretValue> broken, Runnable beforeValue) {
            this.id = id;
            this.broken = broken;
            this.beforeValue = beforeValue;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String type() {
            return "handing-out";
        }

        @Override
        public List<SecretMetadata> list() {
            return List.of();
        }

        @Override
        public SecretMetadata describe(SecretReference reference) {
            return SecretMetadata.named("h", reference.name());
        }

        @Override
        public List<SecretMetadata> versions(String name) {
            return List.of();
        }

        @Override
        public SecretValue fetch(SecretReference reference) {
            if (reference.name().equals("broken")) {
                return broken.get();
            }
            beforeValue.run();
            SecretValue value = SecretValue.ofString("value-of-" + reference.name());
            handedOut.add(value);
            return value;
        }
    }
}
