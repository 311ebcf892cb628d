package io.jenkins.plugins.kmssecrets.testing;

import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.exceptionfactory.jagged.framework.armor.ArmoredEncryptingChannelFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Writes SOPS files (YAML or JSON, in the format sops 3.10 writes) for tests and the demo: encrypts each value with
 * AES-256-GCM under a random data key with the key path as additional data, computes and encrypts the MAC, and wraps
 * the data key for each age recipient with jagged (ASCII-armoured). Written independently of the store's reader so
 * the two check each other.
 *
 * <p>Values: {@link String}, {@link Integer}/{@link Long}, {@link Double}, {@link Boolean}, {@code null}, {@link List}
 * and {@link Map} (use {@link LinkedHashMap} for a stable order).
 */
public final class SopsTestWriter {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] MAC_ONLY_ENCRYPTED_INITIALIZATION = HexFormat.of()
            .parseHex("8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69");
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    private final List<String> recipients = new ArrayList<>();
    private final Map<String, String> fixedEnc = new LinkedHashMap<>();
    private String ruleSetting = "unencrypted_suffix";
    private String ruleValue = "_unencrypted";
    private boolean macOnlyEncrypted;
    private String lastModified = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    private byte[] dataKey;

    /** A writer with a fresh random data key and sops' default rule ({@code unencrypted_suffix: _unencrypted}). */
    public SopsTestWriter() {
        dataKey = new byte[32];
        RANDOM.nextBytes(dataKey);
    }

    /** Wraps the data key for this age recipient ({@code age1...}). */
    public SopsTestWriter recipient(String publicKey) {
        recipients.add(publicKey);
        return this;
    }

    /** Uses {@code armoredEnc} as the recipient's wrapped data key instead of wrapping it with jagged. */
    public SopsTestWriter recipientWithEnc(String publicKey, String armoredEnc) {
        recipients.add(publicKey);
        fixedEnc.put(publicKey, armoredEnc);
        return this;
    }

    /** The rule: unencrypted_suffix, encrypted_suffix, unencrypted_regex or encrypted_regex, and its value. */
    public SopsTestWriter rule(String setting, String value) {
        this.ruleSetting = setting;
        this.ruleValue = value;
        return this;
    }

    public SopsTestWriter macOnlyEncrypted(boolean value) {
        this.macOnlyEncrypted = value;
        return this;
    }

    /** {@code sops.lastmodified}, RFC 3339. */
    public SopsTestWriter lastModified(String value) {
        this.lastModified = value;
        return this;
    }

    /** Uses {@code key} (32 bytes) as the data key. */
    public SopsTestWriter dataKey(byte[] key) {
        this.dataKey = key.clone();
        return this;
    }

    /** A copy of the data key. */
    public byte[] dataKey() {
        return dataKey.clone();
    }

    /** The encrypted document as sops-style YAML (4-space indentation). */
    public String yaml(Map<String, Object> tree) {
        Map<String, Object> document = encryptedDocument(tree);
        StringBuilder out = new StringBuilder();
        emitMap(document, 0, out);
        return out.toString();
    }

    /** The encrypted document as sops-style JSON (tab indentation). */
    public String json(Map<String, Object> tree) {
        try {
            DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                    .withObjectIndenter(new DefaultIndenter("\t", "\n"))
                    .withArrayIndenter(new DefaultIndenter("\t", "\n"));
            return new ObjectMapper().writer(printer).writeValueAsString(encryptedDocument(tree)) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, Object> encryptedDocument(Map<String, Object> tree) {
        try {
            MessageDigest hash = MessageDigest.getInstance("SHA-512");
            if (macOnlyEncrypted) {
                hash.update(MAC_ONLY_ENCRYPTED_INITIALIZATION);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> encrypted = (Map<String, Object>) encryptValue(tree, new ArrayList<>(), hash);
            String mac = HexFormat.of().withUpperCase().formatHex(hash.digest());
            Map<String, Object> sops = new LinkedHashMap<>();
            List<Object> age = new ArrayList<>();
            for (String recipient : recipients) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("recipient", recipient);
                entry.put("enc", fixedEnc.containsKey(recipient) ? fixedEnc.get(recipient) : wrap(recipient));
                age.add(entry);
            }
            sops.put("age", age);
            sops.put("lastmodified", lastModified);
            sops.put("mac", encrypt(mac.getBytes(StandardCharsets.US_ASCII), "str", lastModified));
            if (macOnlyEncrypted) {
                sops.put("mac_only_encrypted", true);
            }
            sops.put(ruleSetting, ruleValue);
            sops.put("version", "3.10.2");
            Map<String, Object> document = new LinkedHashMap<>(encrypted);
            document.put("sops", sops);
            return document;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object encryptValue(Object value, List<String> keys, MessageDigest hash) throws GeneralSecurityException {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = (String) entry.getKey();
                keys.add(key);
                out.put(key, encryptValue(entry.getValue(), keys, hash));
                keys.remove(keys.size() - 1);
            }
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object item : list) {
                out.add(encryptValue(item, keys, hash));
            }
            return out;
        }
        if (value == null) {
            return null;
        }
        String type;
        String plain;
        if (value instanceof String s) {
            type = "str";
            plain = s;
        } else if (value instanceof Integer || value instanceof Long) {
            type = "int";
            plain = value.toString();
        } else if (value instanceof Double d) {
            type = "float";
            plain = d == 0 ? "0" : new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
        } else if (value instanceof Boolean b) {
            type = "bool";
            plain = b ? "True" : "False";
        } else {
            throw new IllegalArgumentException("unsupported value type " + value.getClass());
        }
        boolean encrypted = encrypted(keys);
        if (!macOnlyEncrypted || encrypted) {
            hash.update(plain.getBytes(StandardCharsets.UTF_8));
        }
        if (!encrypted) {
            return value;
        }
        if (plain.isEmpty()) {
            return "";
        }
        return encrypt(plain.getBytes(StandardCharsets.UTF_8), type, String.join(":", keys) + ":");
    }

    private boolean encrypted(List<String> keys) {
        return switch (ruleSetting) {
            case "unencrypted_suffix" -> keys.stream().noneMatch(k -> k.endsWith(ruleValue));
            case "encrypted_suffix" -> keys.stream().anyMatch(k -> k.endsWith(ruleValue));
            case "unencrypted_regex" -> keys.stream().noneMatch(k -> Pattern.compile(ruleValue).matcher(k).find());
            case "encrypted_regex" -> keys.stream().anyMatch(k -> Pattern.compile(ruleValue).matcher(k).find());
            default -> throw new IllegalArgumentException(ruleSetting);
        };
    }

    private String encrypt(byte[] plain, String type, String additionalData) throws GeneralSecurityException {
        byte[] iv = new byte[32];
        RANDOM.nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(dataKey, "AES"), new GCMParameterSpec(128, iv));
        cipher.updateAAD(additionalData.getBytes(StandardCharsets.UTF_8));
        byte[] sealed = cipher.doFinal(plain);
        Base64.Encoder b64 = Base64.getEncoder();
        byte[] data = java.util.Arrays.copyOf(sealed, sealed.length - 16);
        byte[] tag = java.util.Arrays.copyOfRange(sealed, sealed.length - 16, sealed.length);
        return "ENC[AES256_GCM,data:" + b64.encodeToString(data) + ",iv:" + b64.encodeToString(iv) + ",tag:"
                + b64.encodeToString(tag) + ",type:" + type + "]";
    }

    /** The data key as an ASCII-armoured age file for {@code recipient}, written by jagged. */
    public String wrap(String recipient) {
        try {
            RecipientStanzaWriter writer = X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(recipient);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (WritableByteChannel channel = new ArmoredEncryptingChannelFactory()
                    .newEncryptingChannel(Channels.newChannel(out), List.of(writer))) {
                channel.write(ByteBuffer.wrap(dataKey));
            }
            String armored = out.toString(StandardCharsets.US_ASCII);
            return armored.endsWith("\n") ? armored : armored + "\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- YAML emission: block style like sops, strings that need it double-quoted, multi-line text as '|' blocks.

    private static void emitMap(Map<?, ?> map, int indent, StringBuilder out) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            out.append(" ".repeat(indent)).append(key((String) entry.getKey())).append(':');
            emitValue(entry.getValue(), indent, out);
        }
    }

    private static void emitValue(Object value, int indent, StringBuilder out) {
        if (value instanceof Map<?, ?> map && !map.isEmpty()) {
            out.append('\n');
            emitMap(map, indent + 4, out);
        } else if (value instanceof List<?> list && !list.isEmpty()) {
            out.append('\n');
            for (Object item : list) {
                out.append(" ".repeat(indent + 4)).append("- ");
                if (item instanceof Map<?, ?> itemMap && !itemMap.isEmpty()) {
                    StringBuilder nested = new StringBuilder();
                    emitMap(itemMap, indent + 6, nested);
                    out.append(nested.substring(indent + 6));
                } else {
                    out.append(scalar(item, indent + 6).substring(1));
                }
            }
        } else {
            out.append(scalar(value, indent + 4));
        }
    }

    /** {@code " value\n"}, or {@code " |\n  line...\n"} for multi-line text. */
    private static String scalar(Object value, int blockIndent) {
        if (value instanceof Map<?, ?>) {
            return " {}\n";
        }
        if (value instanceof List<?>) {
            return " []\n";
        }
        if (value == null) {
            return " null\n";
        }
        if (!(value instanceof String text)) {
            return " " + value + "\n";
        }
        if (text.contains("\n") && text.endsWith("\n") && !text.contains("\r") && !text.startsWith(" ")) {
            StringBuilder block = new StringBuilder(" |\n");
            for (String line : text.substring(0, text.length() - 1).split("\n", -1)) {
                block.append(line.isEmpty() ? "" : " ".repeat(blockIndent)).append(line).append('\n');
            }
            return block.toString();
        }
        if (text.startsWith("ENC[AES256_GCM,") || text.matches("[A-Za-z][A-Za-z0-9 ._/-]*[A-Za-z0-9._/]")
                && !text.matches("(?i)true|false|null|yes|no|on|off|y|n")) {
            return " " + text + "\n";
        }
        try {
            return " " + new ObjectMapper().writeValueAsString(text) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String key(String key) {
        if (PLAIN_KEY.matcher(key).matches() && !key.matches("(?i)true|false|null|yes|no|on|off|y|n")) {
            return key;
        }
        try {
            return new ObjectMapper().writeValueAsString(key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
