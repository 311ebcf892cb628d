package io.jenkins.plugins.kmssecrets.store.sops;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.AccessVerification;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.ReadAccess;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretNotFoundException;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.SecretWriter;
import io.jenkins.plugins.kmssecrets.store.WriteOptions;
import io.jenkins.plugins.kmssecrets.store.WrittenVersion;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.StoreUnavailableException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A store backed by one SOPS file (YAML or JSON, as written by sops 3.x) encrypted for age recipients. It works
 * offline and makes no remote call; every method reads the file anew, so edits are picked up immediately.
 *
 * <ul>
 *   <li>{@link #list()}, {@link #describe(SecretReference)}, {@link #versions(String)}: read the file's plaintext
 *       structure only (key paths, {@code type:} of each value, {@code sops.lastmodified} as {@code updated}); no age
 *       identity is needed and nothing is decrypted.</li>
 *   <li>{@link #verifyAccess()} and {@link #readAccess(SecretReference)}: also find the age identity and unwrap the
 *       file's data key with it (an X25519 key agreement, no value decrypted), so a wrong or missing key shows
 *       before any {@code fetch}.</li>
 *   <li>{@link #fetch(SecretReference)}: finds an age identity ({@link AgeIdentities}), unwraps the data key,
 *       decrypts every value of the file once (the MAC covers them all), <b>verifies the file MAC</b> and returns the
 *       requested value. Plaintext is not cached between calls; intermediate byte arrays are overwritten.</li>
 * </ul>
 *
 * <p>Names are key paths ({@link KeyPath}): {@code app2.db.password}, {@code an_array[2]}. A name that denotes a
 * mapping or list fetches it as compact JSON. {@code #property} selects a field of a JSON object value (or a child
 * key of a mapping). SOPS files have no versions: {@link #versions(String)} returns the current entry and a pinned
 * version is not found.
 *
 * <p><b>Values the file keeps in clear are not secrets.</b> A value that the file's rule leaves unencrypted (by
 * default a key ending in {@code _unencrypted}; or the file's {@code unencrypted_suffix}, {@code unencrypted_regex},
 * {@code encrypted_suffix} or {@code encrypted_regex}) is not listed, and describing or fetching it (or a mapping
 * holding nothing else) fails with {@link InvalidInputException} saying so. A mapping that holds encrypted values
 * fetches as JSON with its clear values included, as sops decrypts it.
 *
 * @since 0.1.0
 */
public final class SopsStore implements SecretWriter {

    /** The store type name. */
    public static final String TYPE = "sops";


    private final String id;
    private final Path file;
    private final String displayName;
    private final Path ageKeyFile;
    private final StoreContext context;

    /**
     * A store over {@code file}, finding age identities through {@code context}'s environment.
     *
     * @param id      the store id
     * @param file    the SOPS file
     * @param context environment (for {@code SOPS_AGE_KEY}, {@code SOPS_AGE_KEY_FILE}, {@code XDG_CONFIG_HOME},
     *                {@code HOME}) and base directory
     */
    public SopsStore(String id, Path file, StoreContext context) {
        this(id, file, null, file.toString(), context);
    }

    /**
     * A store over {@code file} with a fixed age key file.
     *
     * @param ageKeyFile  the age identity file to use instead of the environment lookup, or {@code null}
     * @param displayName how messages name the file (as the user wrote it)
     */
    public SopsStore(String id, Path file, Path ageKeyFile, String displayName, StoreContext context) {
        this.id = Objects.requireNonNull(id, "id");
        this.file = Objects.requireNonNull(file, "file");
        this.ageKeyFile = ageKeyFile;
        this.displayName = Objects.requireNonNull(displayName, "displayName");
        this.context = Objects.requireNonNull(context, "context");
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String type() {
        return TYPE;
    }

    /**
     * Every encrypted value of the file (leaves; list items as {@code name[i]}), in document order; values the file
     * keeps in clear are left out. Decrypts nothing.
     */
    @Override
    public List<SecretMetadata> list() {
        SopsFile sops = SopsFile.read(file, displayName, id);
        return sops.leaves().stream().filter(SopsLeaf::encrypted).map(leaf -> leafMetadata(sops, leaf)).toList();
    }

    /**
     * Lists the file, then finds the age identity and unwraps the data key with it, without decrypting a value. A
     * wrong, missing or unreadable key fails here with the same {@link MisconfiguredException} a fetch would give.
     */
    @Override
    public AccessVerification verifyAccess() {
        SopsFile sops = SopsFile.read(file, displayName, id);
        long secrets = sops.leaves().stream().filter(SopsLeaf::encrypted).count();
        unwrapDataKey(sops, null);
        return new AccessVerification((int) secrets, "the data key unwraps with the age identity (no value "
                + "decrypted)");
    }

    /**
     * {@link ReadAccess#READABLE} when an age identity unwraps the file's data key, {@link ReadAccess#NOT_READABLE}
     * when none does (or none is found); decrypts no value.
     */
    @Override
    public ReadAccess readAccess(SecretReference reference) {
        SopsFile sops = read(reference.name());
        try {
            unwrapDataKey(sops, reference.name());
            return ReadAccess.READABLE;
        } catch (MisconfiguredException e) {
            return ReadAccess.NOT_READABLE;
        }
    }

    /**
     * The file, read for one secret: an unavailable file names the secret too, as every other store's errors do
     * ({@code store 'x', secret 'y': ...}).
     */
    private SopsFile read(String secretName) {
        try {
            return SopsFile.read(file, displayName, id);
        } catch (StoreUnavailableException e) {
            if (e.secretName() != null) {
                throw e;
            }
            throw new StoreUnavailableException(id, secretName, e.detail(), e);
        }
    }

    private void unwrapDataKey(SopsFile sops, String secretName) {
        AgeDataKey.requireAgeRecipients(sops, id, secretName);
        try (AgeIdentities identities = AgeIdentities.find(context, ageKeyFile, id, secretName)) {
            byte[] dataKey = AgeDataKey.unwrap(sops, identities, id, secretName);
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /** Metadata of one value or subtree, from the plaintext structure. Decrypts nothing. */
    @Override
    public SecretMetadata describe(SecretReference reference) {
        requireCurrentVersion(reference);
        SopsFile sops = read(reference.name());
        List<Object> address = address(reference.name());
        List<SopsLeaf> leaves = sops.leavesUnder(address);
        if (leaves.isEmpty()) {
            throw notFound(reference.name(), sops);
        }
        requireEncrypted(reference.name(), sops, leaves);
        if (leaves.size() == 1 && leaves.get(0).address().equals(address)) {
            return leafMetadata(sops, leaves.get(0));
        }
        Object next = leaves.get(0).address().get(address.size());
        return new SecretMetadata(id, KeyPath.format(address), null, true, null,
                sops.metadata().lastModified().toInstant(), null, null,
                Map.of("type", next instanceof Integer ? "array" : "object",
                        "encrypted", Boolean.toString(leaves.stream().anyMatch(SopsLeaf::encrypted))),
                "application/json");
    }

    /** The single current entry: SOPS files keep no history. */
    @Override
    public List<SecretMetadata> versions(String name) {
        return List.of(describe(SecretReference.of(id, name)));
    }

    @Override
    public SecretValue fetch(SecretReference reference) {
        return fetch(reference, true);
    }

    /**
     * What sops itself would output for {@code reference}, clear values included (still after the MAC check): the
     * decryption path without the refusal of clear values, for tests of sops' encryption rules and MAC.
     */
    SecretValue fetchIncludingClearValues(SecretReference reference) {
        return fetch(reference, false);
    }

    private SecretValue fetch(SecretReference reference, boolean secretsOnly) {
        requireCurrentVersion(reference);
        List<Object> address = address(reference.name());
        SopsFile sops = read(reference.name());
        List<SopsLeaf> leaves = sops.leavesUnder(address);
        if (leaves.isEmpty()) {
            throw notFound(reference.name(), sops);
        }
        if (secretsOnly) {
            requireEncrypted(reference.name(), sops, leaves);
        }
        AgeDataKey.requireAgeRecipients(sops, id, reference.name());
        SopsDecryptor.Plaintext plaintext;
        try (AgeIdentities identities = AgeIdentities.find(context, ageKeyFile, id, reference.name())) {
            byte[] dataKey = AgeDataKey.unwrap(sops, identities, id, reference.name());
            try {
                plaintext = SopsDecryptor.decrypt(sops, dataKey, address, id, reference.name());
            } finally {
                Arrays.fill(dataKey, (byte) 0);
            }
        }
        byte[] value = null;
        try {
            Map<List<Object>, byte[]> values = plaintext.values();
            if (values.size() == 1 && values.containsKey(address)) {
                value = values.remove(address);
            } else {
                value = SubtreeJson.render(values, plaintext.types(), address.size());
            }
            if (reference.property() != null) {
                byte[] whole = value;
                try {
                    value = SubtreeJson.property(whole, reference);
                } finally {
                    Arrays.fill(whole, (byte) 0);
                }
            }
            return SecretValue.ofBytes(value);
        } finally {
            plaintext.wipe();
            if (value != null) {
                Arrays.fill(value, (byte) 0);
            }
        }
    }

    private SecretMetadata leafMetadata(SopsFile sops, SopsLeaf leaf) {
        String type;
        if (leaf.scalar().type() == null) {
            type = "null";
        } else if (leaf.encrypted() && leaf.scalar().type() == ValueType.STR
                && EncryptedValue.looksEncrypted(leaf.scalar().text())) {
            type = encryptedType(leaf.scalar().text());
        } else {
            type = leaf.scalar().type().tag();
        }
        return new SecretMetadata(id, leaf.name(), null, true, null, sops.metadata().lastModified().toInstant(),
                null, null, Map.of("type", type, "encrypted", Boolean.toString(leaf.encrypted())), null);
    }

    private static String encryptedType(String text) {
        try {
            return EncryptedValue.parse(text).type();
        } catch (IllegalArgumentException e) {
            return "unknown";
        }
    }

    private List<Object> address(String name) {
        try {
            return KeyPath.parse(name);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(id, name, "malformed key path: " + e.getMessage()
                    + "; expected keys joined with '.', list items as [index], and %2E for a '.' inside a key");
        }
    }

    private void requireCurrentVersion(SecretReference reference) {
        if (reference.version() != null) {
            throw new SecretNotFoundException(id, reference.name(), "version '" + reference.version()
                    + "' not found; a sops file keeps only the current value, so references to it take no @version");
        }
    }

    /** Refuses a name whose values are all kept in clear by the file's rule: they are not secrets. */
    private void requireEncrypted(String name, SopsFile sops, List<SopsLeaf> leaves) {
        if (leaves.stream().noneMatch(SopsLeaf::encrypted)) {
            EncryptionRule rule = sops.metadata().rule();
            throw new InvalidInputException(id, name, "the file keeps this value unencrypted (sops." + rule.setting()
                    + " '" + rule.value() + "'), so it is not a secret; read it from " + sops.displayName()
                    + " directly, or encrypt it");
        }
    }

    private SecretNotFoundException notFound(String name, SopsFile sops) {
        return new SecretNotFoundException(id, name, "no such key path in " + sops.displayName()
                + "; 'kms-secrets list " + id + "' shows the names it has");
    }

    /** A SOPS file keeps only the current value; its history is Git. */
    @Override
    public boolean keepsVersions() {
        return false;
    }

    /**
     * Re-encrypts one value in place with the file's existing data key, keeping the MAC valid and every other byte
     * of the file identical (see {@link SopsValueRewriter}). The reference names one leaf: {@code name} itself, or,
     * with a {@code #property}, the child {@code property} of the mapping {@code name}; a leaf holding a JSON object
     * as a string gets only that property replaced. The new value is written as a string. Needs the age identity
     * (to unwrap the data key) and write access to the file; there is no previous version to disable.
     */
    @Override
    public WrittenVersion write(SecretReference reference, SecretValue value, WriteOptions options) {
        requireCurrentVersion(reference);
        String name = reference.name();
        if (options.disablePrevious()) {
            throw new InvalidInputException(id, name, "a sops file keeps no versions, so there is no previous one to "
                    + "disable; the old file is in Git");
        }
        if (!value.isText()) {
            throw new InvalidInputException(id, name, "the new value is not UTF-8 text; sops values are strings");
        }
        List<Object> address = new java.util.ArrayList<>(address(name));
        SopsFile sops = read(name);
        SecretValue written;
        if (reference.property() != null) {
            List<Object> child = new java.util.ArrayList<>(address);
            child.add(reference.property());
            boolean leafChild = sops.leaves().stream().anyMatch(l -> l.address().equals(child));
            if (leafChild) {
                address = child;
                written = value.copy();
            } else {
                try (SecretValue document = fetch(SecretReference.of(id, name))) {
                    written = io.jenkins.plugins.kmssecrets.store.JsonProperty.replace(document,
                            reference.property(), value, id, name);
                }
            }
        } else {
            written = value.copy();
        }
        AgeDataKey.requireAgeRecipients(sops, id, name);
        byte[] plain = written.bytes();
        try (written; AgeIdentities identities = AgeIdentities.find(context, ageKeyFile, id, name)) {
            SopsValueRewriter.rewrite(file, displayName, id, name, address, plain, identities);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
        return new WrittenVersion(id, name, reference.property(), null, null, false, null);
    }

    @Override
    public String toString() {
        return "SopsStore[" + id + ", " + displayName + "]";
    }
}
