package io.jenkins.plugins.kmssecrets.store.sops;

import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.exceptionfactory.jagged.framework.armor.ArmoredEncryptingChannelFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Writes a new sops YAML file with top-level string values, encrypted to age recipients, in the format sops 3
 * writes: each value AES-256-GCM encrypted under a fresh data key with its key path ({@code name:}) as additional
 * data, the SHA-512 MAC of the plaintexts encrypted with {@code lastmodified} as additional data, and the data key
 * wrapped (armoured) for each recipient. Enough for {@code kms-secrets init}'s starter file; edit it with
 * {@code sops} afterwards. The file holds no plaintext value.
 *
 * @since 0.2.0
 */
public final class SopsFileWriter {

    /** Keys written without quoting or escaping. */
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String VERSION = "3.10.2";

    private SopsFileWriter() {
    }

    /**
     * The encrypted file.
     *
     * @param values     top-level keys (letters, digits, {@code -}, {@code _}) and non-empty values, in file order
     * @param recipients age recipients ({@code age1...}) that can decrypt it
     * @param now        the {@code lastmodified} time
     * @throws IllegalArgumentException for a key that is not plain, an empty value, or no recipient
     */
    public static String yaml(Map<String, String> values, List<String> recipients, Instant now) {
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("at least one age recipient is needed");
        }
        byte[] dataKey = new byte[32];
        RANDOM.nextBytes(dataKey);
        try {
            MessageDigest hash = MessageDigest.getInstance("SHA-512");
            StringBuilder out = new StringBuilder();
            for (Map.Entry<String, String> entry : values.entrySet()) {
                if (!PLAIN_KEY.matcher(entry.getKey()).matches() || entry.getValue().isEmpty()) {
                    throw new IllegalArgumentException("key '" + entry.getKey() + "' is not a plain key or its "
                            + "value is empty");
                }
                byte[] plain = entry.getValue().getBytes(StandardCharsets.UTF_8);
                hash.update(plain);
                out.append(entry.getKey()).append(": ")
                        .append(encrypt(dataKey, plain, entry.getKey() + ":")).append('\n');
                Arrays.fill(plain, (byte) 0);
            }
            String lastModified = now.truncatedTo(ChronoUnit.SECONDS).toString();
            byte[] mac = HexFormat.of().withUpperCase().formatHex(hash.digest()).getBytes(StandardCharsets.US_ASCII);
            out.append("sops:\n    age:\n");
            for (String recipient : recipients) {
                out.append("        - recipient: ").append(recipient).append("\n          enc: |\n");
                for (String line : wrap(dataKey, recipient).split("\n")) {
                    out.append("              ").append(line).append('\n');
                }
            }
            out.append("    lastmodified: \"").append(lastModified).append("\"\n");
            out.append("    mac: ").append(encrypt(dataKey, mac, lastModified)).append('\n');
            out.append("    unencrypted_suffix: _unencrypted\n");
            out.append("    version: ").append(VERSION).append('\n');
            return out.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt with AES-256-GCM in this JVM", e);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    private static String encrypt(byte[] dataKey, byte[] plain, String additionalData)
            throws GeneralSecurityException {
        byte[] iv = new byte[32];
        RANDOM.nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(dataKey, "AES"), new GCMParameterSpec(128, iv));
        cipher.updateAAD(additionalData.getBytes(StandardCharsets.UTF_8));
        byte[] sealed = cipher.doFinal(plain);
        Base64.Encoder base64 = Base64.getEncoder();
        String data = base64.encodeToString(Arrays.copyOf(sealed, sealed.length - 16));
        String tag = base64.encodeToString(Arrays.copyOfRange(sealed, sealed.length - 16, sealed.length));
        return "ENC[AES256_GCM,data:" + data + ",iv:" + base64.encodeToString(iv) + ",tag:" + tag + ",type:str]";
    }

    /** The data key as an armoured age file for {@code recipient}. */
    private static String wrap(byte[] dataKey, String recipient) throws GeneralSecurityException {
        RecipientStanzaWriter writer = X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(recipient);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] copy = dataKey.clone();
        try (WritableByteChannel channel = new ArmoredEncryptingChannelFactory()
                .newEncryptingChannel(Channels.newChannel(out), List.of(writer))) {
            channel.write(ByteBuffer.wrap(copy));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Arrays.fill(copy, (byte) 0);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
