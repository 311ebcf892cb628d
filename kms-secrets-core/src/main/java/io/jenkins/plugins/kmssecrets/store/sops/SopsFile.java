package io.jenkins.plugins.kmssecrets.store.sops;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.jenkins.plugins.kmssecrets.problem.ProblemsException;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.StoreUnavailableException;
import io.jenkins.plugins.kmssecrets.yaml.YamlInput;
import io.jenkins.plugins.kmssecrets.yaml.YamlNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * A SOPS file as read from disk, not decrypted: its values in document order and its {@code sops} metadata. Reading
 * needs no key, so listing and describing never touch key material.
 */
final class SopsFile {

    /** Files larger than this are refused before parsing. */
    static final long MAX_BYTES = 4L * 1024 * 1024;

    private static final int MAX_JSON_DEPTH = 64;
    private static final List<String> OTHER_KEY_TYPES =
            List.of("kms", "gcp_kms", "azure_kv", "hc_vault", "hckms", "pgp");
    private static final Pattern YAML_FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");

    private final String displayName;
    private final List<SopsLeaf> leaves;
    private final SopsMetadata metadata;

    private SopsFile(String displayName, List<SopsLeaf> leaves, SopsMetadata metadata) {
        this.displayName = displayName;
        this.leaves = List.copyOf(leaves);
        this.metadata = metadata;
    }

    String displayName() {
        return displayName;
    }

    /** Every value except the {@code sops} section, in document order (the order the MAC covers them). */
    List<SopsLeaf> leaves() {
        return leaves;
    }

    SopsMetadata metadata() {
        return metadata;
    }

    /** The values at or under {@code address}, in document order. */
    List<SopsLeaf> leavesUnder(List<Object> address) {
        return leaves.stream().filter(leaf -> KeyPath.startsWith(leaf.address(), address)).toList();
    }

    /**
     * Reads and parses {@code file}: JSON when its name ends in {@code .json}, YAML when it ends in {@code .yaml} or
     * {@code .yml}, otherwise JSON if it starts with <code>{</code> and YAML if not.
     *
     * @throws InvalidInputException when the file is missing, too large, not UTF-8, not YAML/JSON or not a SOPS file
     */
    static SopsFile read(Path file, String displayName, String storeId) {
        // A file that is not there (or not readable) is an outage like an unreachable vault: it can come back (a
        // volume not mounted yet, a checkout in progress), and it is reported with the same "store unavailable".
        if (Files.notExists(file)) {
            throw new StoreUnavailableException(storeId, null, displayName + ": no such file");
        }
        if (!Files.isDirectory(file) && !Files.isReadable(file)) {
            throw new StoreUnavailableException(storeId, null, displayName + ": the file cannot be read "
                    + "(permission denied)");
        }
        String text;
        try {
            text = YamlInput.readText(file, displayName, MAX_BYTES);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(storeId, null, e.getMessage());
        }
        String fileName = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean json = fileName.endsWith(".json")
                || !fileName.endsWith(".yaml") && !fileName.endsWith(".yml") && text.stripLeading().startsWith("{");
        Reader reader = new Reader(displayName, storeId);
        SopsTree root = json ? reader.json(text) : reader.yaml(text);
        if (!(root instanceof SopsTree.Mapping mapping)) {
            throw reader.invalid("the top level is not a mapping; a SOPS file is a mapping with a 'sops' key");
        }
        Map<String, SopsTree> entries = new LinkedHashMap<>(mapping.entries());
        SopsTree sops = entries.remove("sops");
        if (!(sops instanceof SopsTree.Mapping sopsMapping)) {
            throw reader.invalid("not a SOPS-encrypted file (no 'sops' metadata mapping); encrypt it with sops");
        }
        SopsMetadata metadata = reader.metadata(sopsMapping);
        if (!json && metadata.rule().needsComments()) {
            throw reader.invalid("'" + metadata.rule().setting() + "' is not supported for YAML files by this store; "
                    + "re-encrypt with a key-based rule such as encrypted_regex");
        }
        List<SopsLeaf> leaves = new ArrayList<>();
        flatten(new SopsTree.Mapping(entries, mapping.line()), new ArrayList<>(), new ArrayList<>(), metadata.rule(),
                leaves);
        return new SopsFile(displayName, leaves, metadata);
    }

    private static void flatten(SopsTree node, List<Object> address, List<String> keys, EncryptionRule rule,
                                List<SopsLeaf> out) {
        if (node instanceof SopsTree.Mapping mapping) {
            for (Map.Entry<String, SopsTree> entry : mapping.entries().entrySet()) {
                address.add(entry.getKey());
                keys.add(entry.getKey());
                flatten(entry.getValue(), address, keys, rule, out);
                keys.remove(keys.size() - 1);
                address.remove(address.size() - 1);
            }
        } else if (node instanceof SopsTree.Sequence sequence) {
            for (int i = 0; i < sequence.items().size(); i++) {
                address.add(i);
                flatten(sequence.items().get(i), address, keys, rule, out);
                address.remove(address.size() - 1);
            }
        } else {
            out.add(new SopsLeaf(List.copyOf(address), List.copyOf(keys), rule.encrypted(keys),
                    (SopsTree.Scalar) node));
        }
    }

    /** Turns YAML or JSON into a {@link SopsTree} and reads the metadata, with errors naming the file. */
    private static final class Reader {

        private final String displayName;
        private final String storeId;

        Reader(String displayName, String storeId) {
            this.displayName = displayName;
            this.storeId = storeId;
        }

        InvalidInputException invalid(String detail) {
            return new InvalidInputException(storeId, null, displayName + ": " + detail);
        }

        SopsTree yaml(String text) {
            List<YamlNode> documents;
            try {
                documents = YamlInput.parseAll(text, displayName);
            } catch (ProblemsException e) {
                throw new InvalidInputException(storeId, null, e.getMessage());
            }
            if (documents.size() != 1) {
                throw invalid(documents.isEmpty() ? "the file is empty"
                        : "holds " + documents.size() + " YAML documents; this store reads single-document files");
            }
            return yamlNode(documents.get(0));
        }

        private SopsTree yamlNode(YamlNode node) {
            int line = node.location().line();
            if (node.isMapping()) {
                Map<String, SopsTree> entries = new LinkedHashMap<>();
                node.entries().forEach((key, value) -> entries.put(key, yamlNode(value)));
                return new SopsTree.Mapping(entries, line);
            }
            if (node.isSequence()) {
                return new SopsTree.Sequence(node.items().stream().map(this::yamlNode).toList(), line);
            }
            ScalarNode scalar = (ScalarNode) node.raw();
            if (scalar.getScalarStyle() != DumperOptions.ScalarStyle.PLAIN) {
                return new SopsTree.Scalar(ValueType.STR, scalar.getValue(), line);
            }
            return resolvePlain(scalar.getValue(), line);
        }

        /** Streams the JSON so every value keeps its line; sops' JSON store also keeps document order. */
        SopsTree json(String text) {
            JsonFactory factory = JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_JSON_DEPTH)
                            .maxNumberLength(1000)
                            .maxStringLength((int) MAX_BYTES)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build();
            try (JsonParser parser = factory.createParser(text)) {
                JsonToken first = parser.nextToken();
                if (first == null) {
                    throw invalid("the file is empty");
                }
                SopsTree root = jsonValue(parser, first);
                if (parser.nextToken() != null) {
                    throw invalid("unexpected content after the JSON object at line "
                            + parser.currentLocation().getLineNr());
                }
                return root;
            } catch (JsonProcessingException e) {
                // Jackson's message can quote the offending token, which may be a value: report the place only.
                JsonLocation at = e.getLocation();
                throw invalid("invalid JSON" + (at == null ? "" : " at line " + at.getLineNr() + ", column "
                        + at.getColumnNr()));
            } catch (IOException e) {
                throw invalid("cannot parse the file (" + e.getClass().getSimpleName() + ")");
            }
        }

        private SopsTree jsonValue(JsonParser parser, JsonToken token) throws IOException {
            int line = parser.currentTokenLocation().getLineNr();
            switch (token) {
                case START_OBJECT -> {
                    Map<String, SopsTree> entries = new LinkedHashMap<>();
                    for (JsonToken next = parser.nextToken(); next != JsonToken.END_OBJECT; next = parser.nextToken()) {
                        String key = parser.currentName();
                        entries.put(key, jsonValue(parser, parser.nextToken()));
                    }
                    return new SopsTree.Mapping(entries, line);
                }
                case START_ARRAY -> {
                    List<SopsTree> items = new ArrayList<>();
                    for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                        items.add(jsonValue(parser, next));
                    }
                    return new SopsTree.Sequence(items, line);
                }
                case VALUE_NULL -> {
                    return new SopsTree.Scalar(null, "", line);
                }
                case VALUE_TRUE, VALUE_FALSE -> {
                    return new SopsTree.Scalar(ValueType.BOOL, Boolean.toString(token == JsonToken.VALUE_TRUE), line);
                }
                case VALUE_NUMBER_INT -> {
                    BigInteger value = parser.getBigIntegerValue();
                    return value.bitLength() < 64 ? new SopsTree.Scalar(ValueType.INT, value.toString(), line)
                            : new SopsTree.Scalar(ValueType.FLOAT, ValueType.goFloat(value.doubleValue()), line);
                }
                case VALUE_NUMBER_FLOAT -> {
                    return new SopsTree.Scalar(ValueType.FLOAT, ValueType.goFloat(parser.getDoubleValue()), line);
                }
                case VALUE_STRING -> {
                    return new SopsTree.Scalar(ValueType.STR, parser.getText(), line);
                }
                default -> throw invalid("unexpected JSON token at line " + line);
            }
        }

        SopsMetadata metadata(SopsTree.Mapping sops) {
            Map<String, SopsTree> meta = sops.entries();
            List<AgeRecipient> recipients = new ArrayList<>(ageEntries(meta.get("age"), "sops.age"));
            List<String> others = new ArrayList<>();
            for (String type : OTHER_KEY_TYPES) {
                if (!list(meta.get(type), "sops." + type).isEmpty()) {
                    others.add(type);
                }
            }
            List<SopsTree> groups = list(meta.get("key_groups"), "sops.key_groups");
            if (groups.size() > 1) {
                throw invalid("uses " + groups.size() + " key groups (Shamir secret sharing), which this store "
                        + "does not support; re-encrypt the file with a single key group");
            }
            for (SopsTree group : groups) {
                if (!(group instanceof SopsTree.Mapping groupMap)) {
                    throw invalid("sops.key_groups[0] is not a mapping");
                }
                recipients.addAll(ageEntries(groupMap.entries().get("age"), "sops.key_groups[0].age"));
                for (String type : OTHER_KEY_TYPES) {
                    if (!list(groupMap.entries().get(type), "sops.key_groups[0]." + type).isEmpty()) {
                        others.add(type);
                    }
                }
            }
            String lastModifiedText = text(meta, "lastmodified");
            if (lastModifiedText == null) {
                throw invalid("sops.lastmodified is missing");
            }
            OffsetDateTime lastModified;
            try {
                lastModified = ValueType.parseRfc3339(lastModifiedText);
            } catch (IllegalArgumentException e) {
                throw invalid("sops.lastmodified is not an RFC 3339 time");
            }
            String mac = text(meta, "mac");
            if (mac == null || mac.isEmpty()) {
                throw invalid("sops.mac is missing; the file cannot be verified");
            }
            String macOnly = text(meta, "mac_only_encrypted");
            return new SopsMetadata(List.copyOf(recipients), List.copyOf(others.stream().distinct().toList()),
                    lastModified, mac, rule(meta), "true".equals(macOnly), text(meta, "version"));
        }

        private EncryptionRule rule(Map<String, SopsTree> meta) {
            EncryptionRule rule = null;
            for (String setting : EncryptionRule.SETTINGS) {
                String value = text(meta, setting);
                if (value == null || value.isEmpty()) {
                    continue;
                }
                if (rule != null) {
                    throw invalid("sets both sops." + rule.setting() + " and sops." + setting
                            + "; sops allows only one");
                }
                Pattern regex = null;
                if (setting.endsWith("_regex")) {
                    try {
                        regex = Pattern.compile(value);
                    } catch (PatternSyntaxException e) {
                        throw invalid("sops." + setting + " is not a valid regular expression");
                    }
                }
                rule = new EncryptionRule(setting, value, regex);
            }
            return rule == null ? EncryptionRule.defaultRule() : rule;
        }

        private List<AgeRecipient> ageEntries(SopsTree node, String where) {
            List<AgeRecipient> out = new ArrayList<>();
            List<SopsTree> items = list(node, where);
            for (int i = 0; i < items.size(); i++) {
                if (!(items.get(i) instanceof SopsTree.Mapping entry)) {
                    throw invalid(where + "[" + i + "] is not a mapping");
                }
                String recipient = text(entry.entries(), "recipient");
                String enc = text(entry.entries(), "enc");
                if (recipient == null || enc == null) {
                    throw invalid(where + "[" + i + "] needs 'recipient' and 'enc'");
                }
                out.add(new AgeRecipient(recipient.trim(), enc));
            }
            return out;
        }

        /** A key group: absent, {@code null} and {@code []} all mean empty (sops versions differ). */
        private List<SopsTree> list(SopsTree node, String where) {
            if (node == null || node instanceof SopsTree.Scalar scalar && scalar.type() == null) {
                return List.of();
            }
            if (node instanceof SopsTree.Sequence sequence) {
                return sequence.items();
            }
            throw invalid(where + " is not a list");
        }

        private String text(Map<String, SopsTree> meta, String key) {
            SopsTree node = meta.get(key);
            if (node == null || node instanceof SopsTree.Scalar scalar && scalar.type() == null) {
                return null;
            }
            if (node instanceof SopsTree.Scalar scalar) {
                return scalar.text();
            }
            throw invalid("sops." + key + " is not a single value");
        }
    }

    /**
     * Resolves a plain (unquoted) YAML scalar as the YAML library sops uses (go-yaml v3) does: YAML 1.2 booleans and
     * nulls, integers in any base with {@code _} separators, floats; everything else, timestamps included, stays text.
     */
    static SopsTree.Scalar resolvePlain(String text, int line) {
        switch (text) {
            case "true", "True", "TRUE":
                return new SopsTree.Scalar(ValueType.BOOL, "true", line);
            case "false", "False", "FALSE":
                return new SopsTree.Scalar(ValueType.BOOL, "false", line);
            case "", "~", "null", "Null", "NULL":
                return new SopsTree.Scalar(null, "", line);
            case ".nan", ".NaN", ".NAN":
                return new SopsTree.Scalar(ValueType.FLOAT, "NaN", line);
            case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
                return new SopsTree.Scalar(ValueType.FLOAT, "+Inf", line);
            case "-.inf", "-.Inf", "-.INF":
                return new SopsTree.Scalar(ValueType.FLOAT, "-Inf", line);
            default:
                break;
        }
        char first = text.charAt(0);
        if (!(first >= '0' && first <= '9' || first == '-' || first == '+' || first == '.')) {
            return new SopsTree.Scalar(ValueType.STR, text, line);
        }
        String plain = text.replace("_", "");
        BigInteger integer = goParseInt(plain);
        if (integer != null && integer.bitLength() < 64) {
            return new SopsTree.Scalar(ValueType.INT, integer.toString(), line);
        }
        if (YAML_FLOAT.matcher(plain).matches()) {
            try {
                return new SopsTree.Scalar(ValueType.FLOAT, ValueType.goFloat(Double.parseDouble(plain)), line);
            } catch (NumberFormatException e) {
                // fall through: text
            }
        }
        return new SopsTree.Scalar(ValueType.STR, text, line);
    }

    /** Go's {@code strconv.ParseInt(s, 0, 64)} base detection: {@code 0x}, {@code 0o}, {@code 0b}, {@code 0} octal. */
    private static BigInteger goParseInt(String text) {
        boolean negative = text.startsWith("-");
        String body = negative || text.startsWith("+") ? text.substring(1) : text;
        int radix = 10;
        String lower = body.toLowerCase(Locale.ROOT);
        if (lower.startsWith("0x")) {
            radix = 16;
            body = body.substring(2);
        } else if (lower.startsWith("0o")) {
            radix = 8;
            body = body.substring(2);
        } else if (lower.startsWith("0b")) {
            radix = 2;
            body = body.substring(2);
        } else if (body.length() > 1 && body.startsWith("0")) {
            radix = 8;
            body = body.substring(1);
        }
        if (body.isEmpty() || body.startsWith("-") || body.startsWith("+")) {
            return null;
        }
        try {
            BigInteger value = new BigInteger(body, radix);
            return negative ? value.negate() : value;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
