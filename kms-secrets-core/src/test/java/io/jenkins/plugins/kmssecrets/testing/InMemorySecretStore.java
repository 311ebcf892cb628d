package io.jenkins.plugins.kmssecrets.testing;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretNotFoundException;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A store in memory for tests of the consumers (check, resolver, CLI): counts metadata and value calls, and can be
 * told to fail every call with a given error.
 */
public final class InMemorySecretStore implements SecretStore {

    private final String id;
    private final Map<String, SecretMetadata> metadata = new LinkedHashMap<>();
    private final Map<String, String> values = new LinkedHashMap<>();
    private final AtomicInteger metadataCalls = new AtomicInteger();
    private final AtomicInteger valueReads = new AtomicInteger();
    private volatile Function<String, SecretStoreException> failure;

    public InMemorySecretStore(String id) {
        this.id = id;
    }

    /** Adds an enabled secret with no dates. */
    public InMemorySecretStore put(String name, String value) {
        return put(SecretMetadata.named(id, name), value);
    }

    /** Adds a secret with the given metadata. */
    public InMemorySecretStore put(SecretMetadata secret, String value) {
        metadata.put(secret.name(), secret);
        values.put(secret.name(), value);
        return this;
    }

    /** Every later call throws what {@code failure} builds from the secret name ({@code null} for list). */
    public void failWith(Function<String, SecretStoreException> failure) {
        this.failure = failure;
    }

    public int metadataCalls() {
        return metadataCalls.get();
    }

    public int valueReads() {
        return valueReads.get();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String type() {
        return "in-memory";
    }

    @Override
    public List<SecretMetadata> list() {
        metadataCalls.incrementAndGet();
        fail(null);
        return new ArrayList<>(metadata.values());
    }

    @Override
    public SecretMetadata describe(SecretReference reference) {
        metadataCalls.incrementAndGet();
        fail(reference.name());
        SecretMetadata secret = metadata.get(reference.name());
        if (secret == null) {
            throw new SecretNotFoundException(id, reference.name(), "no such secret");
        }
        return secret;
    }

    @Override
    public List<SecretMetadata> versions(String name) {
        return List.of(describe(SecretReference.of(id, name)));
    }

    @Override
    public SecretValue fetch(SecretReference reference) {
        valueReads.incrementAndGet();
        fail(reference.name());
        String value = values.get(reference.name());
        if (value == null) {
            throw new SecretNotFoundException(id, reference.name(), "no such secret");
        }
        if (reference.property() != null) {
            // As the real stores do: the property of a JSON value.
            try (SecretValue document = SecretValue.ofString(value)) {
                return io.jenkins.plugins.kmssecrets.store.JsonProperty.select(document, reference.property(), id,
                        reference.name());
            }
        }
        return SecretValue.ofString(value);
    }

    private void fail(String name) {
        Function<String, SecretStoreException> f = failure;
        if (f != null) {
            throw f.apply(name);
        }
    }
}
