package io.jenkins.plugins.kmssecrets.store.sops;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretNotFoundException;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * @since 0.1.0
 */
public final class SopsStore implements SecretStore {

    /** The store type name. */
    public static final String TYPE = "sops";

    private static final byte[] MAC_ONLY_ENCRYPTED_INITIALIZATION = HexFormat.of()
            .parseHex("8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69");
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build());

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

    /** Every value of the file (leaves; list items as {@code name[i]}), in document order. Decrypts nothing. */
    @Override
    public List<SecretMetadata> list() {
        SopsFile sops = SopsFile.read(file, displayName, id);
        return sops.leaves().stream().map(leaf -> leafMetadata(sops, leaf)).toList();
    }

    /** Metadata of one value or subtree, from the plaintext structure. Decrypts nothing. */
    @Override
    public SecretMetadata describe(SecretReference reference) {
        requireCurrentVersion(reference);
        SopsFile sops = SopsFile.read(file, displayName, id);
        List<Object> address = address(reference.name());
        List<SopsLeaf> leaves = sops.leavesUnder(address);
        if (leaves.isEmpty()) {
            throw notFound(reference.name(), sops);
        }
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
        requireCurrentVersion(reference);
        List<Object> address = address(reference.name());
        SopsFile sops = SopsFile.read(file, displayName, id);
        if (sops.leavesUnder(address).isEmpty()) {
            throw notFound(reference.name(), sops);
        }
        Map<List<Object>, byte[]> selected;
        Map<List<Object>, ValueType> types = new HashMap<>();
        try (AgeIdentities identities = AgeIdentities.find(context, ageKeyFile, id, reference.name())) {
            byte[] dataKey = AgeDataKey.unwrap(sops, identities, id, reference.name());
            try {
                selected = decryptAndVerify(sops, dataKey, address, types, reference.name());
            } finally {
                Arrays.fill(dataKey, (byte) 0);
            }
        }
        byte[] value = null;
        try {
            if (selected.size() == 1 && selected.containsKey(address)) {
                value = selected.get(address);
                selected.clear();
            } else {
                value = renderJson(selected, types, address.size());
            }
            if (reference.property() != null) {
                byte[] whole = value;
                try {
                    value = property(whole, reference);
                } finally {
                    Arrays.fill(whole, (byte) 0);
                }
            }
            return SecretValue.ofBytes(value);
        } finally {
            selected.values().forEach(bytes -> Arrays.fill(bytes, (byte) 0));
            if (value != null) {
                Arrays.fill(value, (byte) 0);
            }
        }
    }

    /**
     * Decrypts every value in document order, feeding sops' MAC, keeps the plaintext of values under
     * {@code address} (overwriting the others at once) and checks the MAC before returning.
     */
    private Map<List<Object>, byte[]> decryptAndVerify(SopsFile sops, byte[] dataKey, List<Object> address,
                                                       Map<List<Object>, ValueType> types, String secretName) {
        MessageDigest hash;
        try {
            hash = MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is required by every JVM", e);
        }
        boolean macOnlyEncrypted = sops.metadata().macOnlyEncrypted();
        if (macOnlyEncrypted) {
            hash.update(MAC_ONLY_ENCRYPTED_INITIALIZATION);
        }
        Map<List<Object>, byte[]> selected = new LinkedHashMap<>();
        boolean done = false;
        try {
            for (SopsLeaf leaf : sops.leaves()) {
                SopsTree.Scalar scalar = leaf.scalar();
                if (scalar.type() == null) {
                    // sops neither encrypts nor hashes nulls
                    if (KeyPath.startsWith(leaf.address(), address)) {
                        selected.put(leaf.address(), new byte[0]);
                        types.put(leaf.address(), null);
                    }
                    continue;
                }
                ValueType type;
                byte[] plain;
                if (leaf.encrypted()) {
                    if (scalar.type() != ValueType.STR) {
                        throw invalid(secretName, sops.displayName() + ": value " + leaf.where()
                                + " should be encrypted but is a plain " + scalar.type().tag()
                                + "; the file was modified outside sops");
                    }
                    if (scalar.text().isEmpty()) {
                        type = ValueType.STR;
                        plain = new byte[0];
                    } else {
                        EncryptedValue encrypted = parse(scalar.text(), leaf, sops, secretName);
                        type = encrypted.valueType();
                        if (type == null) {
                            throw invalid(secretName, sops.displayName() + ": value " + leaf.where()
                                    + " has unknown type '" + encrypted.type() + "'");
                        }
                        try {
                            plain = encrypted.decrypt(dataKey, EncryptedValue.additionalData(leaf.keys()));
                        } catch (GeneralSecurityException e) {
                            throw invalid(secretName, sops.displayName() + ": value " + leaf.where()
                                    + " failed authentication; the file was tampered with or values were moved");
                        }
                    }
                } else {
                    type = scalar.type();
                    plain = scalar.text().getBytes(StandardCharsets.UTF_8);
                }
                try {
                    if (!macOnlyEncrypted || leaf.encrypted()) {
                        byte[] macBytes = type.macBytes(plain);
                        hash.update(macBytes);
                        Arrays.fill(macBytes, (byte) 0);
                    }
                    if (KeyPath.startsWith(leaf.address(), address)) {
                        selected.put(leaf.address(), type.valueBytes(plain));
                        types.put(leaf.address(), type);
                    }
                } catch (IllegalArgumentException e) {
                    throw invalid(secretName, sops.displayName() + ": value " + leaf.where() + " is not a valid "
                            + type.tag() + " (" + e.getMessage() + ")");
                } finally {
                    Arrays.fill(plain, (byte) 0);
                }
            }
            verifyMac(sops, dataKey, hash.digest(), secretName);
            done = true;
            return selected;
        } finally {
            if (!done) {
                selected.values().forEach(bytes -> Arrays.fill(bytes, (byte) 0));
            }
        }
    }

    private void verifyMac(SopsFile sops, byte[] dataKey, byte[] digest, String secretName) {
        byte[] expected = HexFormat.of().withUpperCase().formatHex(digest).getBytes(StandardCharsets.US_ASCII);
        byte[] recorded = null;
        try {
            EncryptedValue mac;
            try {
                mac = EncryptedValue.parse(sops.metadata().mac());
            } catch (IllegalArgumentException e) {
                throw invalid(secretName, sops.displayName() + ": sops.mac is " + e.getMessage());
            }
            try {
                recorded = mac.decrypt(dataKey, sops.metadata().macAdditionalData());
            } catch (GeneralSecurityException e) {
                throw invalid(secretName, sops.displayName() + ": the MAC failed authentication; the file (or its "
                        + "sops.lastmodified) was tampered with");
            }
            if (!MessageDigest.isEqual(expected, recorded)) {
                throw invalid(secretName, sops.displayName() + ": MAC mismatch; the file was modified outside sops "
                        + "(values added, removed, reordered or edited) and is refused");
            }
        } finally {
            Arrays.fill(expected, (byte) 0);
            if (recorded != null) {
                Arrays.fill(recorded, (byte) 0);
            }
        }
    }

    private EncryptedValue parse(String text, SopsLeaf leaf, SopsFile sops, String secretName) {
        try {
            return EncryptedValue.parse(text);
        } catch (IllegalArgumentException e) {
            throw invalid(secretName, sops.displayName() + ": value " + leaf.where() + " is " + e.getMessage());
        }
    }

    /** Compact JSON of the values under a mapping or list; keys relative to the fetched address. */
    private byte[] renderJson(Map<List<Object>, byte[]> selected, Map<List<Object>, ValueType> types, int depth) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        Object firstStep = selected.keySet().iterator().next().get(depth);
        JsonNode root = firstStep instanceof Integer ? nodes.arrayNode() : nodes.objectNode();
        for (Map.Entry<List<Object>, byte[]> entry : selected.entrySet()) {
            List<Object> path = entry.getKey().subList(depth, entry.getKey().size());
            JsonNode parent = root;
            for (int i = 0; i < path.size() - 1; i++) {
                parent = child(parent, path.get(i), path.get(i + 1) instanceof Integer);
            }
            JsonNode leaf = leafNode(types.get(entry.getKey()), entry.getValue());
            Object last = path.get(path.size() - 1);
            if (parent instanceof ObjectNode object) {
                object.set((String) last, leaf);
            } else {
                ArrayNode array = (ArrayNode) parent;
                while (array.size() < (Integer) last) {
                    array.addNull();
                }
                array.add(leaf);
            }
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("JSON rendering failed", e);
        }
    }

    private static JsonNode child(JsonNode parent, Object step, boolean array) {
        if (parent instanceof ObjectNode object) {
            JsonNode existing = object.get((String) step);
            if (existing == null) {
                existing = array ? object.putArray((String) step) : object.putObject((String) step);
            }
            return existing;
        }
        ArrayNode list = (ArrayNode) parent;
        int index = (Integer) step;
        while (list.size() < index) {
            list.addNull();
        }
        if (list.size() == index) {
            return array ? list.addArray() : list.addObject();
        }
        return list.get(index);
    }

    private static JsonNode leafNode(ValueType type, byte[] value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (type == null) {
            return nodes.nullNode();
        }
        String text = new String(value, StandardCharsets.UTF_8);
        return switch (type) {
            case INT -> nodes.numberNode(Long.parseLong(text));
            case FLOAT -> text.equals("NaN") || text.endsWith("Inf") ? nodes.textNode(text)
                    : nodes.numberNode(new BigDecimal(text));
            case BOOL -> nodes.booleanNode(Boolean.parseBoolean(text));
            default -> nodes.textNode(text);
        };
    }

    /** One field of a JSON object value: text as is, anything else as compact JSON. */
    private byte[] property(byte[] value, SecretReference reference) {
        JsonNode tree;
        try {
            tree = JSON.readTree(value);
        } catch (IOException e) {
            tree = null;
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidInputException(id, reference.name(), "the value is not a JSON object, so it has no "
                    + "property '" + reference.property() + "'");
        }
        JsonNode field = tree.get(reference.property());
        if (field == null) {
            throw new SecretNotFoundException(id, reference.name(), "the value has no property '"
                    + reference.property() + "'");
        }
        if (field.isTextual()) {
            return field.textValue().getBytes(StandardCharsets.UTF_8);
        }
        try {
            return JSON.writeValueAsBytes(field);
        } catch (IOException e) {
            throw new IllegalStateException("JSON rendering failed", e);
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

    private SecretNotFoundException notFound(String name, SopsFile sops) {
        return new SecretNotFoundException(id, name, "no such key path in " + sops.displayName()
                + "; 'kms-secrets list " + id + "' shows the names it has");
    }

    private InvalidInputException invalid(String secretName, String detail) {
        return new InvalidInputException(id, secretName, detail);
    }

    @Override
    public String toString() {
        return "SopsStore[" + id + ", " + displayName + "]";
    }
}
