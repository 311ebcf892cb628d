package io.jenkins.plugins.kmssecrets.store.sops;

import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.SecretNotFoundException;
import io.jenkins.plugins.kmssecrets.store.StoreUnavailableException;
import io.jenkins.plugins.kmssecrets.store.WriteConflictException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Re-encrypts one value of a SOPS file in place, as {@code sops set} would, without sops: the value is encrypted with
 * the file's existing data key (unwrapped with the age identity) and its key path as additional data, the MAC is
 * recomputed over every value in document order with the new plaintext in its place (after the old MAC has been
 * verified) and encrypted with the file's unchanged {@code lastmodified}. Only the bytes of that one
 * {@code ENC[...]} value and of {@code sops.mac} change; every other byte of the file, including every other
 * encrypted value, the recipients and {@code lastmodified}, stays identical. The new file is written to a temporary
 * file beside it with the same permissions and moved over it atomically; a file changed meanwhile is not
 * overwritten ({@link WriteConflictException}).
 */
final class SopsValueRewriter {

    private SopsValueRewriter() {
    }

    /**
     * Replaces the value at {@code address} with {@code plain} (a string).
     *
     * @param file       the SOPS file (a link is followed: the file it points to is replaced)
     * @param identities the age identities that unwrap the data key
     */
    static void rewrite(Path file, String displayName, String storeId, String secretName, List<Object> address,
            byte[] plain, AgeIdentities identities) {
        Path target;
        byte[] before;
        try {
            target = file.toRealPath();
            before = Files.readAllBytes(target);
        } catch (IOException e) {
            throw new StoreUnavailableException(storeId, secretName, displayName + ": cannot read the file ("
                    + e.getClass().getSimpleName() + ")");
        }
        SopsFile sops = SopsFile.read(target, displayName, storeId);
        SopsLeaf leaf = sops.leaves().stream().filter(l -> l.address().equals(address)).findFirst()
                .orElseThrow(() -> new SecretNotFoundException(storeId, secretName, "no value at key path '"
                        + KeyPath.format(address) + "' in " + displayName + "; a rotation replaces one existing "
                        + "value (a leaf), not a mapping or a list"));
        if (!leaf.encrypted()) {
            throw new InvalidInputException(storeId, secretName, displayName + ": value " + leaf.where()
                    + " is kept unencrypted by the file's rule; it is not a secret and is not rotated here");
        }
        String oldText = leaf.scalar().text();
        if (leaf.scalar().type() != ValueType.STR || !EncryptedValue.looksEncrypted(oldText)) {
            throw new InvalidInputException(storeId, secretName, displayName + ": value " + leaf.where()
                    + " is not an ENC[...] value (empty or written outside sops); set it with 'sops set' once");
        }
        byte[] dataKey = AgeDataKey.unwrap(sops, identities, storeId, secretName);
        byte[] digest = null;
        byte[] macHex = null;
        byte[] after = null;
        try {
            digest = SopsDecryptor.macWithReplacement(sops, dataKey, address, plain, storeId, secretName);
            macHex = HexFormat.of().withUpperCase().formatHex(digest).getBytes(StandardCharsets.US_ASCII);
            String newValue = EncryptedValue.encrypt(dataKey, plain, EncryptedValue.additionalData(leaf.keys()),
                    ValueType.STR.tag());
            String newMac = EncryptedValue.encrypt(dataKey, macHex, sops.metadata().macAdditionalData(),
                    ValueType.STR.tag());
            after = replaceOnce(before, oldText, newValue, displayName, storeId, secretName, "value " + leaf.where());
            byte[] withMac = replaceOnce(after, sops.metadata().mac(), newMac, displayName, storeId, secretName,
                    "sops.mac");
            Arrays.fill(after, (byte) 0);
            after = withMac;
            writeAtomically(target, before, after, displayName, storeId, secretName);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt with AES-256-GCM in this JVM", e);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
            if (digest != null) {
                Arrays.fill(digest, (byte) 0);
            }
            if (macHex != null) {
                Arrays.fill(macHex, (byte) 0);
            }
        }
    }

    /** {@code content} with the one occurrence of {@code old} replaced; more or fewer than one is refused. */
    private static byte[] replaceOnce(byte[] content, String old, String replacement, String displayName,
            String storeId, String secretName, String what) {
        byte[] needle = old.getBytes(StandardCharsets.UTF_8);
        int at = indexOf(content, needle, 0);
        if (at < 0 || indexOf(content, needle, at + 1) >= 0) {
            throw new InvalidInputException(storeId, secretName, displayName + ": cannot find " + what
                    + " exactly once in the file's text (written in an unusual form); set it with 'sops set'");
        }
        byte[] inserted = replacement.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[content.length - needle.length + inserted.length];
        System.arraycopy(content, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(content, at + needle.length, out, at + inserted.length, content.length - at - needle.length);
        return out;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void writeAtomically(Path target, byte[] before, byte[] after, String displayName, String storeId,
            String secretName) {
        Path temp = null;
        try {
            temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            PosixFileAttributeView posix = Files.getFileAttributeView(target, PosixFileAttributeView.class);
            if (posix != null) {
                Files.getFileAttributeView(temp, PosixFileAttributeView.class)
                        .setPermissions(posix.readAttributes().permissions());
            }
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(after);
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            if (!Arrays.equals(before, Files.readAllBytes(target))) {
                throw new WriteConflictException(storeId, secretName, displayName + " changed while the value was "
                        + "being re-encrypted; nothing was written: run the rotation again");
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
        } catch (IOException e) {
            throw new StoreUnavailableException(storeId, secretName, displayName + ": cannot write the file ("
                    + e.getClass().getSimpleName() + "); it is unchanged");
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // hidden and holds no plaintext; the error above is what matters
                }
            }
        }
    }
}
