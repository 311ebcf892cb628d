package io.jenkins.plugins.kmssecrets.e2e;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Searches files and logs for secret values in every form a build could print them: the value; each line of a
 * multi-line value; base64 (standard and URL-safe, padding ignored); hex (both cases); percent-encoding (form and
 * URI style); JSON string escaping; POSIX shell single-quoting; and, for a value that is itself base64, the decoded
 * bytes. Forms shorter than {@value #MIN_NEEDLE} bytes are not searched (they would match by chance); every corpus
 * value is far longer. A finding names the secret's label and the form, never the value.
 */
public final class LeakChecker {

    /** The shortest form searched, in bytes. */
    public static final int MIN_NEEDLE = 6;

    /** One value found: where, which secret ({@code label}), in which form. */
    public record Leak(String source, String label, String form) {
        @Override
        public String toString() {
            return source + ": " + label + " (" + form + ")";
        }
    }

    // needle (bytes as ISO-8859-1 text) -> "label (form)"
    private final Map<String, String[]> needles = new LinkedHashMap<>();
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    /** A checker for {@code values}, labelled (label -> value); labels are what a finding reports. */
    public LeakChecker(Map<String, String> labelledValues) {
        labelledValues.forEach(this::addValue);
    }

    private void addValue(String label, String value) {
        addForms(label, "", value);
        String[] lines = value.split("\\R");
        if (lines.length > 1) {
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].strip();
                if (!line.startsWith("-----")) { // PEM armour lines are public text, not the secret
                    addForms(label, "line " + (i + 1) + ", ", line);
                }
            }
        }
        byte[] decoded = base64Decoded(value);
        if (decoded != null) {
            add(decoded, label, "base64-decoded bytes");
        }
    }

    private void addForms(String label, String prefix, String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        add(utf8, label, prefix + "raw");
        add(stripPadding(Base64.getEncoder().encodeToString(utf8)), label, prefix + "base64");
        add(stripPadding(Base64.getUrlEncoder().encodeToString(utf8)), label, prefix + "base64url");
        add(HexFormat.of().formatHex(utf8), label, prefix + "hex");
        add(HexFormat.of().withUpperCase().formatHex(utf8), label, prefix + "HEX");
        String form = URLEncoder.encode(value, StandardCharsets.UTF_8);
        add(form, label, prefix + "url-form");
        add(form.replace("+", "%20"), label, prefix + "url");
        add(jsonEscape(value, false), label, prefix + "json");
        add(jsonEscape(value, true), label, prefix + "json-ascii");
        add(value.replace("'", "'\\''"), label, prefix + "shell-quoted");
    }

    private void add(String text, String label, String form) {
        add(text.getBytes(StandardCharsets.UTF_8), label, form);
    }

    private void add(byte[] needle, String label, String form) {
        if (needle.length < MIN_NEEDLE) {
            return;
        }
        needles.putIfAbsent(new String(needle, StandardCharsets.ISO_8859_1), new String[] {label, form});
    }

    /** How many distinct byte strings are searched (values and their encoded forms). */
    public int needleCount() {
        return needles.size();
    }

    /** Files (or logs) scanned so far. */
    public long filesScanned() {
        return files.get();
    }

    /** Bytes scanned so far. */
    public long bytesScanned() {
        return bytes.get();
    }

    /** Scans one file or log; returns every form found (each at most once per source). */
    public List<Leak> scan(String source, byte[] content) {
        files.incrementAndGet();
        bytes.addAndGet(content.length);
        String haystack = new String(content, StandardCharsets.ISO_8859_1);
        List<Leak> leaks = new ArrayList<>();
        needles.forEach((needle, what) -> {
            if (haystack.contains(needle)) {
                leaks.add(new Leak(source, what[0], what[1]));
            }
        });
        return leaks;
    }

    public List<Leak> scan(String source, String content) {
        return scan(source, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Scans one file or log for case {@code r}: its findings and the file and bytes scanned are counted there. */
    public void scan(CaseResult r, String source, byte[] content) {
        r.leaks(scan(source, content));
        r.scanned(1, content.length);
    }

    /** {@link #scan(CaseResult, String, byte[])} of UTF-8 text. */
    public void scan(CaseResult r, String source, String text) {
        scan(r, source, text.getBytes(StandardCharsets.UTF_8));
    }

    /** JSON string content; {@code ascii}: non-ASCII as {@code \\uXXXX}, as Groovy's JsonOutput writes it. */
    static String jsonEscape(String value, boolean ascii) {
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '/' -> out.append('/');
                default -> {
                    if (c < 0x20 || (ascii && c > 0x7e)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static String stripPadding(String base64) {
        int end = base64.length();
        while (end > 0 && base64.charAt(end - 1) == '=') {
            end--;
        }
        return base64.substring(0, end);
    }

    private static byte[] base64Decoded(String value) {
        String compact = value.strip();
        if (compact.length() < 16 || !compact.matches("[A-Za-z0-9+/]+={0,2}")) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
