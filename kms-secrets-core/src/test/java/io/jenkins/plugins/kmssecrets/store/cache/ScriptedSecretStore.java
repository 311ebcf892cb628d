package io.jenkins.plugins.kmssecrets.store.cache;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** A store whose list answer the test scripts, counting every call. */
final class ScriptedSecretStore implements SecretStore {

    final AtomicInteger listCalls = new AtomicInteger();
    final AtomicInteger fetchCalls = new AtomicInteger();
    final AtomicInteger describeCalls = new AtomicInteger();
    private volatile Supplier<List<SecretMetadata>> answer = List::of;

    /** Next list calls return these names. */
    ScriptedSecretStore answer(String... names) {
        List<SecretMetadata> entries = new ArrayList<>();
        for (String name : names) {
            entries.add(SecretMetadata.named("scripted", name));
        }
        answer = () -> entries;
        return this;
    }

    ScriptedSecretStore answer(List<SecretMetadata> entries) {
        answer = () -> entries;
        return this;
    }

    /** Next list calls answer whatever {@code supplier} gives (it may script a concurrent call first). */
    ScriptedSecretStore answerWith(Supplier<List<SecretMetadata>> supplier) {
        answer = supplier;
        return this;
    }

    static List<SecretMetadata> entries(String... names) {
        List<SecretMetadata> entries = new ArrayList<>();
        for (String name : names) {
            entries.add(SecretMetadata.named("scripted", name));
        }
        return entries;
    }

    /** Next list calls throw {@code failure}. */
    ScriptedSecretStore failWith(RuntimeException failure) {
        answer = () -> {
            throw failure;
        };
        return this;
    }

    @Override
    public String id() {
        return "scripted";
    }

    @Override
    public String type() {
        return "scripted";
    }

    @Override
    public List<SecretMetadata> list() {
        listCalls.incrementAndGet();
        return answer.get();
    }

    @Override
    public SecretMetadata describe(SecretReference reference) {
        describeCalls.incrementAndGet();
        return SecretMetadata.named("scripted", reference.name());
    }

    @Override
    public List<SecretMetadata> versions(String name) {
        return List.of(SecretMetadata.named("scripted", name));
    }

    @Override
    public SecretValue fetch(SecretReference reference) {
        fetchCalls.incrementAndGet();
        return SecretValue.ofString("value-of-" + reference.name());
    }
}
