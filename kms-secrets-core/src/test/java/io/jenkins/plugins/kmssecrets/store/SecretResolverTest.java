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
        SecretNotFoundException e = catchThrowableOfType(SecretNotFoundException.class,
                () -> new SecretResolver(StoreSet.of(a, b), 4).resolve(refs));
        assertThat(e).hasMessage("store 'a', secret 'missing': no such secret");
        assertThat(e.getSuppressed()).hasSize(1);
        assertThat(e.getSuppressed()[0]).isInstanceOf(MisconfiguredException.class)
                .hasMessage("store 'zzz': unknown store id; known stores: a, b");
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
    void valuesFetchedWhileTheCallerIsInterruptedAreWiped() {
        // Each fetch blocks until the resolver, interrupted while waiting, stops the pool; then it hands a value out.
        CountDownLatch never = new CountDownLatch(1);
        HandingOutStore store = new HandingOutStore(() -> null, () -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                // released by the pool shutting down
            }
        });
        Map<String, SecretReference> refs = new LinkedHashMap<>();
        refs.put("ONE", SecretReference.of("h", "one"));
        refs.put("TWO", SecretReference.of("h", "two"));

        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> new SecretResolver(StoreSet.of(store), 4).resolve(refs))
                    .isInstanceOf(IllegalStateException.class).hasMessage("interrupted");
        } finally {
            assertThat(Thread.interrupted()).isTrue();
        }
        assertThat(store.handedOut).hasSize(2).allSatisfy(value -> assertThat(value.isWiped()).isTrue());
    }

    /** Hands out a fresh value per fetch (recording it) after running {@code beforeValue}; "broken" runs {@code broken}. */
    private static final class HandingOutStore implements SecretStore {
        final List<SecretValue> handedOut = new CopyOnWriteArrayList<>();
        private final Supplier<SecretValue> broken;
        private final Runnable beforeValue;

        HandingOutStore(Supplier<SecretValue> broken, Runnable beforeValue) {
            this.broken = broken;
            this.beforeValue = beforeValue;
        }

        @Override
        public String id() {
            return "h";
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
