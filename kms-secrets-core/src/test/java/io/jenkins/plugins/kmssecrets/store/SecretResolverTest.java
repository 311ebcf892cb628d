package io.jenkins.plugins.kmssecrets.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.testing.InMemorySecretStore;
import java.util.LinkedHashMap;
import java.util.Map;
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
}
