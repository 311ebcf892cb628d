package io.jenkins.plugins.kmssecrets.cli.eso;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretNotFoundException;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretStoreProvider;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test store type {@code test-metadata}: secrets named in the {@code present} and {@code disabled} settings exist
 * (metadata only); any value read fails the test. Counts describes so tests can assert check-remote used them.
 */
public final class MetadataStoreProvider implements SecretStoreProvider {

    static final AtomicInteger DESCRIBES = new AtomicInteger();
    static final AtomicInteger FETCHES = new AtomicInteger();

    @Override
    public String type() {
        return "test-metadata";
    }

    @Override
    public Set<String> settingKeys() {
        return Set.of("present", "disabled");
    }

    @Override
    public SecretStore create(StoreDefinition definition, StoreContext context) {
        List<String> present = Arrays.asList(definition.string("present", "").split(","));
        List<String> disabled = Arrays.asList(definition.string("disabled", "").split(","));
        return new SecretStore() {
            @Override
            public String id() {
                return definition.id();
            }

            @Override
            public String type() {
                return "test-metadata";
            }

            @Override
            public List<SecretMetadata> list() {
                throw new AssertionError("not used");
            }

            @Override
            public SecretMetadata describe(SecretReference reference) {
                DESCRIBES.incrementAndGet();
                boolean off = disabled.contains(reference.name());
                if (!off && !present.contains(reference.name())) {
                    throw new SecretNotFoundException(id(), reference.name(), "not found");
                }
                return new SecretMetadata(id(), reference.name(), null, !off, null, null, null, null, Map.of(), null);
            }

            @Override
            public List<SecretMetadata> versions(String name) {
                throw new AssertionError("not used");
            }

            @Override
            public SecretValue fetch(SecretReference reference) {
                FETCHES.incrementAndGet();
                throw new AssertionError("eso commands must never read a value");
            }
        };
    }
}
