package io.jenkins.plugins.kmssecrets.store.sops;

import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decrypts a SOPS file with its data key the way sops does: every value in document order, each authenticated with
 * its key path, all of them fed to the SHA-512 MAC, which is then compared with the file's encrypted MAC. Only the
 * values under the requested address are kept; every other plaintext is overwritten as soon as it has been hashed.
 */
final class SopsDecryptor {

    /** sops' {@code MACOnlyEncryptedInitialization}: SHA-256 of {@code sops}, hashed first when mac_only_encrypted. */
    private static final byte[] MAC_ONLY_ENCRYPTED_INITIALIZATION = HexFormat.of()
            .parseHex("8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69");

    private SopsDecryptor() {
    }

    /**
     * The verified plaintexts under one address, in document order, with their types ({@code null} for a YAML/JSON
     * null). The caller wipes them with {@link #wipe()}.
     */
    record Plaintext(Map<List<Object>, byte[]> values, Map<List<Object>, ValueType> types) {

        void wipe() {
            values.values().forEach(bytes -> Arrays.fill(bytes, (byte) 0));
        }

        @Override
        public String toString() {
            return "Plaintext[" + values.size() + " values]";
        }
    }

    /**
     * Decrypts every value in document order, feeding sops' MAC, keeps the plaintext of values under
     * {@code address} (overwriting the others at once) and checks the MAC before returning.
     */
    static Plaintext decrypt(SopsFile sops, byte[] dataKey, List<Object> address, String storeId,
                             String secretName) {
        return decrypt(sops, dataKey, address, null, null, null, storeId, secretName);
    }

    /**
     * Verifies the file's MAC as {@link #decrypt} does (decrypting every value, keeping none) and returns the MAC
     * digest the file would have if the value at {@code replaced} held the string {@code replacement}: what a
     * rewrite of that one value must record. The caller wipes {@code replacement}.
     *
     * @since 0.2.0
     */
    static byte[] macWithReplacement(SopsFile sops, byte[] dataKey, List<Object> replaced, byte[] replacement,
                                     String storeId, String secretName) {
        MessageDigest rewritten = sha512();
        if (sops.metadata().macOnlyEncrypted()) {
            rewritten.update(MAC_ONLY_ENCRYPTED_INITIALIZATION);
        }
        decrypt(sops, dataKey, List.of(new Object()), replaced, replacement, rewritten, storeId, secretName).wipe();
        return rewritten.digest();
    }

    private static MessageDigest sha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is required by every JVM", e);
        }
    }

    private static Plaintext decrypt(SopsFile sops, byte[] dataKey, List<Object> address, List<Object> replaced,
                                     byte[] replacement, MessageDigest rewritten, String storeId,
                                     String secretName) {
        Map<List<Object>, ValueType> types = new HashMap<>();
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
                        throw new InvalidInputException(storeId, secretName,
                            sops.displayName() + ": value " + leaf.where()
                                + " should be encrypted but is a plain " + scalar.type().tag()
                                + "; the file was modified outside sops");
                    }
                    if (scalar.text().isEmpty()) {
                        type = ValueType.STR;
                        plain = new byte[0];
                    } else {
                        EncryptedValue encrypted = parse(scalar.text(), leaf, sops, storeId, secretName);
                        type = encrypted.valueType();
                        if (type == null) {
                            throw new InvalidInputException(storeId, secretName,
                            sops.displayName() + ": value " + leaf.where()
                                    + " has unknown type '" + encrypted.type() + "'");
                        }
                        try {
                            plain = encrypted.decrypt(dataKey, EncryptedValue.additionalData(leaf.keys()));
                        } catch (GeneralSecurityException e) {
                            throw new InvalidInputException(storeId, secretName,
                            sops.displayName() + ": value " + leaf.where()
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
                        if (rewritten != null) {
                            rewritten.update(leaf.address().equals(replaced) ? replacement : macBytes);
                        }
                        Arrays.fill(macBytes, (byte) 0);
                    }
                    if (KeyPath.startsWith(leaf.address(), address)) {
                        selected.put(leaf.address(), type.valueBytes(plain));
                        types.put(leaf.address(), type);
                    }
                } catch (IllegalArgumentException e) {
                    throw new InvalidInputException(storeId, secretName,
                            sops.displayName() + ": value " + leaf.where() + " is not a valid "
                            + type.tag() + " (" + e.getMessage() + ")");
                } finally {
                    Arrays.fill(plain, (byte) 0);
                }
            }
            verifyMac(sops, dataKey, hash.digest(), storeId, secretName);
            done = true;
            return new Plaintext(selected, types);
        } finally {
            if (!done) {
                selected.values().forEach(bytes -> Arrays.fill(bytes, (byte) 0));
            }
        }
    }

    private static void verifyMac(SopsFile sops, byte[] dataKey, byte[] digest, String storeId,
                                  String secretName) {
        byte[] expected = HexFormat.of().withUpperCase().formatHex(digest).getBytes(StandardCharsets.US_ASCII);
        byte[] recorded = null;
        try {
            EncryptedValue mac;
            try {
                mac = EncryptedValue.parse(sops.metadata().mac());
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(storeId, secretName,
                            sops.displayName() + ": sops.mac is " + e.getMessage());
            }
            try {
                recorded = mac.decrypt(dataKey, sops.metadata().macAdditionalData());
            } catch (GeneralSecurityException e) {
                throw new InvalidInputException(storeId, secretName,
                            sops.displayName() + ": the MAC failed authentication; the file (or its "
                        + "sops.lastmodified) was tampered with");
            }
            if (!MessageDigest.isEqual(expected, recorded)) {
                throw new InvalidInputException(storeId, secretName,
                            sops.displayName() + ": MAC mismatch; the file was modified outside sops "
                        + "(values added, removed, reordered or edited) and is refused");
            }
        } finally {
            Arrays.fill(expected, (byte) 0);
            if (recorded != null) {
                Arrays.fill(recorded, (byte) 0);
            }
        }
    }

    private static EncryptedValue parse(String text, SopsLeaf leaf, SopsFile sops, String storeId,
                                        String secretName) {
        try {
            return EncryptedValue.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(storeId, secretName,
                            sops.displayName() + ": value " + leaf.where() + " is " + e.getMessage());
        }
    }
}
