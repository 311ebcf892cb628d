package io.jenkins.plugins.kmssecrets.store.sops;

import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.CredentialType;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.testing.SecretStoreContract;
import io.jenkins.plugins.kmssecrets.testing.SopsTestWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared store contract on a SOPS file written for a fresh age key. SOPS files have no versions and no
 * permissions, so the version, access-denied and unavailable cases are skipped by the suite. Value reads are counted
 * as {@code fetch} calls reaching the store; {@link SopsStoreMetadataTest} proves separately that list, describe and
 * versions work with no age identity at all, so they cannot decrypt.
 */
class SopsStoreContractTest extends SecretStoreContract {

    @TempDir
    Path dir;

    private Path file;
    private StoreContext context;
    private final AtomicLong fetches = new AtomicLong();

    @BeforeEach
    void writeFile() throws Exception {
        KeyPair pair = new X25519KeyPairGenerator().generateKeyPair();
        Path keys = dir.resolve("keys.txt");
        Files.writeString(keys, "# test key\n" + new String(pair.getPrivate().getEncoded(), StandardCharsets.US_ASCII)
                + "\n");
        Map<String, Object> tree = new LinkedHashMap<>();
        Map<String, Object> app = new LinkedHashMap<>();
        app.put("password", "plain-value-sops-9c1d");
        app.put("connection", "{\"user\":\"netbox\",\"password\":\"json-field-value-2b7e\"}");
        tree.put("app", app);
        file = dir.resolve("secrets.enc.yaml");
        Files.writeString(file, new SopsTestWriter().recipient(pair.getPublic().toString()).yaml(tree));
        context = new StoreContext(Map.of("SOPS_AGE_KEY_FILE", keys.toString()), dir, Clock.systemUTC());
    }

    @Override
    protected Fixtures fixtures() {
        return new Fixtures("local", "app.password", "plain-value-sops-9c1d", null, null, null, null,
                "app.connection", "password", "json-field-value-2b7e", "app.missing");
    }

    /** A SOPS file carries no tags: each value lists with its sops type and whether it is encrypted. */
    @Override
    protected TaggedSecret taggedSecret() {
        return new TaggedSecret("app.password", Map.of("type", "str", "encrypted", "true"), CredentialType.STRING);
    }

    @Override
    protected SecretStore createStore() {
        SopsStore sops = new SopsStore("local", file, context);
        return new SecretStore() {
            @Override
            public String id() {
                return sops.id();
            }

            @Override
            public String type() {
                return sops.type();
            }

            @Override
            public List<SecretMetadata> list() {
                return sops.list();
            }

            @Override
            public SecretMetadata describe(SecretReference reference) {
                return sops.describe(reference);
            }

            @Override
            public List<SecretMetadata> versions(String name) {
                return sops.versions(name);
            }

            @Override
            public SecretValue fetch(SecretReference reference) {
                fetches.incrementAndGet();
                return sops.fetch(reference);
            }
        };
    }

    @Override
    protected long valueReads() {
        return fetches.get();
    }
}
