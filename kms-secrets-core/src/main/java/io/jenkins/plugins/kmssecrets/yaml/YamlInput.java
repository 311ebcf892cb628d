package io.jenkins.plugins.kmssecrets.yaml;

import io.jenkins.plugins.kmssecrets.problem.Problem;
import io.jenkins.plugins.kmssecrets.problem.ProblemsException;
import io.jenkins.plugins.kmssecrets.problem.SourceLocation;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads untrusted YAML safely: bounded size, strict UTF-8, no Java types, a bounded number of aliases and nesting
 * depth (no alias bombs), and duplicate mapping keys rejected. Syntax errors become one {@link Problem} with line and
 * column; the message is SnakeYAML's description of the problem, never a snippet of the file (which could hold a
 * value).
 *
 * @since 0.1.0
 */
public final class YamlInput {

    /** Default size limit for a manifest or an ExternalSecret file. */
    public static final long DEFAULT_MAX_BYTES = 1024 * 1024;

    /**
     * Most nodes a document may have once its aliases are expanded. Fewer than 50 aliases can still expand
     * exponentially (each anchor a list of two aliases of the one before); a consumer walking the tree would then
     * visit every copy. A 1 MiB file without aliases has well under this many nodes.
     */
    public static final int MAX_EXPANDED_NODES = 1_000_000;

    private static final int MAX_ALIASES = 50;
    private static final int MAX_DEPTH = 64;

    private YamlInput() {
    }

    /**
     * Reads {@code file} as strict UTF-8, refusing files over {@code maxBytes}.
     *
     * @param displayName how messages name the file (as the user wrote it)
     * @throws InvalidInputException when the file is missing, too large or not UTF-8
     */
    public static String readText(Path file, String displayName, long maxBytes) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new InvalidInputException(null, null, displayName + ": file is " + size
                        + " bytes; the limit is " + maxBytes + " bytes");
            }
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes((int) maxBytes + 1);
            }
            if (bytes.length > maxBytes) {
                throw new InvalidInputException(null, null, displayName + ": file grew past the limit of "
                        + maxBytes + " bytes while being read");
            }
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(null, null, displayName + ": no such file");
        } catch (IOException e) {
            throw new InvalidInputException(null, null, displayName + ": cannot read the file ("
                    + e.getClass().getSimpleName() + ")");
        }
        return decodeUtf8(bytes, displayName);
    }

    /** Decodes {@code bytes} as strict UTF-8; the error names the byte offset, never the content. */
    public static String decodeUtf8(byte[] bytes, String displayName) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            String text = decoder.decode(ByteBuffer.wrap(bytes)).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (MalformedInputException e) {
            int offset = firstMalformedOffset(bytes);
            throw new InvalidInputException(null, null, displayName + ": not valid UTF-8 (first bad byte at offset "
                    + offset + "); save the file as UTF-8");
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(null, null, displayName + ": not valid UTF-8; save the file as UTF-8");
        }
    }

    private static int firstMalformedOffset(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
        decoder.decode(in, out, true);
        return in.position();
    }

    /**
     * Parses every document of {@code text} into node trees.
     *
     * @throws ProblemsException with one problem (line, column) for a syntax error, a duplicate key, too many
     *                           aliases or too deep nesting
     */
    public static List<YamlNode> parseAll(String text, String displayName) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(Math.max(text.length() + 1, 1));
        options.setProcessComments(false);
        Yaml yaml = new Yaml(options);
        List<YamlNode> documents = new ArrayList<>();
        try {
            int index = 0;
            for (Node node : yaml.composeAll(new StringReader(text))) {
                if (node == null) {
                    continue;
                }
                checkDuplicateKeys(node, displayName, "$", new HashMap<>());
                if (expandedSize(node, new java.util.IdentityHashMap<>()) > MAX_EXPANDED_NODES) {
                    Mark mark = node.getStartMark();
                    throw syntax(displayName, mark, "aliases expand to more than " + MAX_EXPANDED_NODES
                            + " nodes; write the repeated parts out or use fewer aliases");
                }
                documents.add(new YamlNode(node, displayName, "$", index++));
            }
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw syntax(displayName, mark, describe(e));
        } catch (YAMLException e) {
            throw syntax(displayName, null, firstLine(e.getMessage()));
        } catch (StackOverflowError e) {
            throw syntax(displayName, null, "nesting is too deep");
        }
        return documents;
    }

    /** Parses exactly one document; an empty input is a problem too. */
    public static YamlNode parseOne(String text, String displayName) {
        List<YamlNode> documents = parseAll(text, displayName);
        if (documents.size() != 1) {
            throw new ProblemsException(List.of(new Problem(new SourceLocation(displayName, 1, 1, "$"),
                    documents.isEmpty() ? "the file is empty; expected one YAML document"
                            : "expected one YAML document, found " + documents.size())));
        }
        return documents.get(0);
    }

    private static String describe(MarkedYAMLException e) {
        String problem = e.getProblem();
        String context = e.getContext();
        if (problem == null) {
            return firstLine(e.getMessage());
        }
        return context == null ? problem : context + ": " + problem;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid YAML";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static ProblemsException syntax(String displayName, Mark mark, String message) {
        SourceLocation location = mark == null ? new SourceLocation(displayName, 0, 0, null)
                : new SourceLocation(displayName, mark.getLine() + 1, mark.getColumn() + 1, null);
        return new ProblemsException(List.of(new Problem(location, "YAML syntax: " + message)));
    }

    /**
     * Nodes in {@code node}'s tree with every alias expanded, computed once per distinct node (so in linear time
     * however far the aliases would expand), capped just above {@link #MAX_EXPANDED_NODES}.
     */
    private static long expandedSize(Node node, Map<Node, Long> sizes) {
        Long known = sizes.get(node);
        if (known != null) {
            return known;
        }
        sizes.put(node, (long) MAX_EXPANDED_NODES + 1); // a cycle (recursive alias) counts as too many
        long size = 1;
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                size += expandedSize(tuple.getKeyNode(), sizes) + expandedSize(tuple.getValueNode(), sizes);
                if (size > MAX_EXPANDED_NODES) {
                    break;
                }
            }
        } else if (node instanceof SequenceNode sequence) {
            for (Node item : sequence.getValue()) {
                size += expandedSize(item, sizes);
                if (size > MAX_EXPANDED_NODES) {
                    break;
                }
            }
        }
        size = Math.min(size, (long) MAX_EXPANDED_NODES + 1);
        sizes.put(node, size);
        return size;
    }

    private static void checkDuplicateKeys(Node node, String displayName, String path, Map<Node, Boolean> seen) {
        if (seen.put(node, Boolean.TRUE) != null) {
            return;
        }
        if (node instanceof MappingNode mapping) {
            Map<String, Node> keys = new HashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key) {
                    Node previous = keys.put(key.getValue(), key);
                    if (previous != null) {
                        Mark mark = key.getStartMark();
                        throw new ProblemsException(List.of(new Problem(
                                new SourceLocation(displayName, mark.getLine() + 1, mark.getColumn() + 1,
                                        YamlNode.childPath(path, key.getValue())),
                                "duplicate key '" + key.getValue() + "' (first at line "
                                        + (previous.getStartMark().getLine() + 1) + ")")));
                    }
                    checkDuplicateKeys(tuple.getValueNode(), displayName,
                            YamlNode.childPath(path, key.getValue()), seen);
                }
            }
        } else if (node instanceof SequenceNode sequence) {
            List<Node> items = sequence.getValue();
            for (int i = 0; i < items.size(); i++) {
                checkDuplicateKeys(items.get(i), displayName, path + "[" + i + "]", seen);
            }
        }
    }
}
