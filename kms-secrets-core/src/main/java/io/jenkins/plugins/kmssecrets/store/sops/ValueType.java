package io.jenkins.plugins.kmssecrets.store.sops;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The value types sops records in {@code type:} of an {@code ENC[...]} value, with the byte forms it uses: the MAC
 * covers each value as sops' Go code prints it ({@code ToBytes}: ints in decimal, floats in their shortest
 * {@code 'f'} form, booleans as {@code True}/{@code False}), and consumers get the value as YAML or JSON would
 * show it (booleans as {@code true}/{@code false}).
 *
 * @since 0.1.0
 */
enum ValueType {
    STR("str"), INT("int"), FLOAT("float"), BOOL("bool"), BYTES("bytes"), TIME("time"), COMMENT("comment");

    private static final Pattern DECIMAL_FLOAT = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern HEX_FLOAT = Pattern.compile("[+-]?0[xX][0-9a-fA-F.]+([pP][+-]?\\d+)?");
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    private final String tag;

    ValueType(String tag) {
        this.tag = tag;
    }

    /** The name sops writes after {@code type:}. */
    String tag() {
        return tag;
    }

    /** The type named {@code tag}, or {@code null} for an unknown tag. */
    static ValueType ofTag(String tag) {
        for (ValueType type : values()) {
            if (type.tag.equals(tag)) {
                return type;
            }
        }
        return null;
    }

    /**
     * The bytes the MAC covers for a value of this type whose plaintext is {@code plain}.
     *
     * @throws IllegalArgumentException when {@code plain} is not a value of this type (the message holds no value)
     */
    byte[] macBytes(byte[] plain) {
        return switch (this) {
            case STR, BYTES, COMMENT -> plain.clone();
            case INT -> ascii(Long.toString(parseInt(plain)));
            case FLOAT -> ascii(goFloat(parseFloat(ascii(plain))));
            case BOOL -> ascii(parseBool(ascii(plain)) ? "True" : "False");
            case TIME -> ascii(rfc3339Nano(ascii(plain)));
        };
    }

    /** The bytes a consumer gets for a value of this type: strings as they are, other types in YAML/JSON form. */
    byte[] valueBytes(byte[] plain) {
        return switch (this) {
            case BOOL -> ascii(parseBool(ascii(plain)) ? "true" : "false");
            case INT, FLOAT, TIME -> macBytes(plain);
            default -> plain.clone();
        };
    }

    private static long parseInt(byte[] plain) {
        try {
            return Long.parseLong(ascii(plain));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an integer");
        }
    }

    /** Go's {@code strconv.ParseFloat}: decimal or hex floats, {@code inf}/{@code infinity}/{@code nan}. */
    static double parseFloat(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
        if (unsigned.equals("inf") || unsigned.equals("infinity")) {
            return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (lower.equals("nan")) {
            return Double.NaN;
        }
        if (!DECIMAL_FLOAT.matcher(text).matches() && !HEX_FLOAT.matcher(text).matches()) {
            throw new IllegalArgumentException("not a number");
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number");
        }
    }

    /** Go's {@code strconv.FormatFloat(f, 'f', -1, 64)}: the shortest decimal that reads back, never an exponent. */
    static String goFloat(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == 0) {
            return 1 / value < 0 ? "-0" : "0";
        }
        return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }

    /** Go's {@code strconv.ParseBool}. */
    static boolean parseBool(String text) {
        return switch (text) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw new IllegalArgumentException("not a boolean");
        };
    }

    /** Go's {@code time.Time.MarshalText} (RFC 3339 with nanoseconds, trailing zeros dropped) of an RFC 3339 time. */
    static String rfc3339Nano(String text) {
        OffsetDateTime time = parseRfc3339(text);
        StringBuilder sb = new StringBuilder(RFC3339.format(time));
        if (time.getNano() != 0) {
            String nanos = String.format(Locale.ROOT, "%09d", time.getNano()).replaceAll("0+$", "");
            sb.append('.').append(nanos);
        }
        return sb.append(offset(time.getOffset())).toString();
    }

    /** Go's {@code time.Format(time.RFC3339)}: seconds precision, {@code Z} for UTC. */
    static String rfc3339(OffsetDateTime time) {
        return RFC3339.format(time) + offset(time.getOffset());
    }

    static OffsetDateTime parseRfc3339(String text) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an RFC 3339 time");
        }
    }

    private static String offset(ZoneOffset offset) {
        return offset.getTotalSeconds() == 0 ? "Z" : offset.getId();
    }

    private static String ascii(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
