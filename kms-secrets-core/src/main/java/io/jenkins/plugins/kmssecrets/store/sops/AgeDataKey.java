package io.jenkins.plugins.kmssecrets.store.sops;

import com.exceptionfactory.jagged.DecryptingChannelFactory;
import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.framework.armor.ArmoredDecryptingChannelFactory;
import com.exceptionfactory.jagged.framework.stream.StandardDecryptingChannelFactory;
import com.exceptionfactory.jagged.x25519.X25519KeyFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.spec.SecretKeySpec;

/**
 * Recovers a SOPS file's 32-byte data key: finds an identity whose public key is one of the file's age recipients,
 * then decrypts that recipient's {@code enc} (an age file, usually ASCII-armoured) with jagged.
 */
final class AgeDataKey {

    static final int KEY_BYTES = 32;
    private static final String ARMOR_HEADER = "-----BEGIN AGE ENCRYPTED FILE-----";

    private AgeDataKey() {
    }

    /**
     * The data key; the caller wipes it.
     *
     * @throws MisconfiguredException when the file has no age recipient or none matches an identity (naming the
     *                                file's recipients, never an identity)
     * @throws InvalidInputException  when the matching recipient's {@code enc} cannot be decrypted
     */
    static byte[] unwrap(SopsFile file, AgeIdentities identities, String storeId, String secretName) {
        requireAgeRecipients(file, storeId, secretName);
        List<AgeRecipient> recipients = file.metadata().recipients();
        X25519KeyFactory keyFactory;
        try {
            keyFactory = new X25519KeyFactory();
        } catch (GeneralSecurityException e) {
            throw new MisconfiguredException(storeId, secretName, "X25519 is not available in this JVM ("
                    + e.getClass().getSimpleName() + ")");
        }
        for (AgeIdentities.Identity identity : identities.identities()) {
            String publicKey = publicKey(keyFactory, identity, storeId, secretName);
            for (AgeRecipient recipient : recipients) {
                if (recipient.recipient().equals(publicKey)) {
                    return decrypt(recipient, identity, file, storeId, secretName);
                }
            }
        }
        throw new MisconfiguredException(storeId, secretName, "none of the " + identities.identities().size()
                + " age identities found (in " + identities.searched() + ") matches a recipient of "
                + file.displayName() + "; it is encrypted for " + recipients.stream().map(AgeRecipient::recipient)
                .collect(Collectors.joining(", ")) + ". Use the identity of one of these recipients, or add yours "
                + "with 'sops updatekeys'");
    }

    /**
     * Checks that the file is encrypted for at least one age recipient, before any identity is looked up.
     *
     * @throws MisconfiguredException naming the key types the file is encrypted for instead
     */
    static void requireAgeRecipients(SopsFile file, String storeId, String secretName) {
        if (file.metadata().recipients().isEmpty()) {
            List<String> others = file.metadata().otherKeyTypes();
            throw new MisconfiguredException(storeId, secretName, file.displayName() + " has no age recipient"
                    + (others.isEmpty() ? "" : " (it is encrypted for " + String.join(", ", others) + ")")
                    + "; this store decrypts age-encrypted sops files only");
        }
    }

    private static String publicKey(X25519KeyFactory keyFactory, AgeIdentities.Identity identity, String storeId,
                                    String secretName) {
        byte[] encoded = StandardCharsets.US_ASCII.encode(CharBuffer.wrap(identity.key())).array();
        try {
            Key key = keyFactory.translateKey(new SecretKeySpec(encoded, "X25519"));
            byte[] publicEncoded = key.getEncoded();
            int length = 0;
            while (length < publicEncoded.length && publicEncoded[length] != 0) {
                length++;
            }
            return new String(publicEncoded, 0, length, StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new MisconfiguredException(storeId, secretName, identity.source()
                    + " is not a valid age identity (bad checksum or length)");
        } finally {
            Arrays.fill(encoded, (byte) 0);
        }
    }

    private static byte[] decrypt(AgeRecipient recipient, AgeIdentities.Identity identity, SopsFile file,
                                  String storeId, String secretName) {
        String enc = recipient.enc().strip();
        byte[] wrapped = enc.getBytes(StandardCharsets.US_ASCII);
        DecryptingChannelFactory factory = enc.startsWith(ARMOR_HEADER)
                ? new ArmoredDecryptingChannelFactory() : new StandardDecryptingChannelFactory();
        byte[] key = null;
        try {
            RecipientStanzaReader reader =
                    X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(CharBuffer.wrap(identity.key()));
            try (ReadableByteChannel channel = factory.newDecryptingChannel(
                    Channels.newChannel(new ByteArrayInputStream(wrapped)), List.of(reader))) {
                ByteBuffer buffer = ByteBuffer.allocate(KEY_BYTES + 1);
                while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                    // read until the key is complete or the stream ends
                }
                buffer.flip();
                key = new byte[buffer.remaining()];
                buffer.get(key);
                Arrays.fill(buffer.array(), (byte) 0);
            }
            if (key.length != KEY_BYTES) {
                throw new InvalidInputException(storeId, secretName, file.displayName() + ": the data key for age "
                        + "recipient " + recipient.recipient() + " has " + key.length + " bytes instead of "
                        + KEY_BYTES + "; the file is corrupt");
            }
            return key;
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            if (key != null) {
                Arrays.fill(key, (byte) 0);
            }
            if (e instanceof InvalidInputException invalid) {
                throw invalid;
            }
            throw new InvalidInputException(storeId, secretName, file.displayName() + ": the data key for age "
                    + "recipient " + recipient.recipient() + " cannot be decrypted with its identity ("
                    + e.getClass().getSimpleName() + "); the sops.age entry is corrupt or was tampered with");
        }
    }
}
