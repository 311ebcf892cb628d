package io.jenkins.plugins.kmssecrets.credentials;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/** The little DER the key formats need: wrapping PKCS#1 and SEC 1 private keys into PKCS#8. */
final class Der {

    /** AlgorithmIdentifier of rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters. */
    static final byte[] RSA_ALGORITHM = sequence(concat(oid(new byte[] {0x2a, (byte) 0x86, 0x48, (byte) 0x86,
        (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01}), new byte[] {0x05, 0x00}));

    /** The OID of id-ecPublicKey (1.2.840.10045.2.1). */
    private static final byte[] EC_PUBLIC_KEY = oid(new byte[] {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02,
        0x01});

    private Der() {
    }

    /** PrivateKeyInfo {0, algorithm, OCTET STRING key}. */
    static byte[] pkcs8(byte[] algorithm, byte[] key) {
        return sequence(concat(new byte[] {0x02, 0x01, 0x00}, algorithm, tlv(0x04, key)));
    }

    /**
     * The AlgorithmIdentifier of a SEC 1 ECPrivateKey: id-ecPublicKey with the curve OID from its {@code [0]}
     * parameters.
     *
     * @throws IllegalArgumentException when the key names no curve
     */
    static byte[] ecAlgorithm(byte[] sec1) {
        int[] outer = header(sec1, 0);
        int end = outer[1] + outer[2];
        for (int pos = outer[1]; pos < end;) {
            int[] field = header(sec1, pos);
            if ((sec1[pos] & 0xff) == 0xa0) {
                byte[] curve = Arrays.copyOfRange(sec1, field[1], field[1] + field[2]);
                return sequence(concat(EC_PUBLIC_KEY, curve));
            }
            pos = field[1] + field[2];
        }
        throw new IllegalArgumentException("the EC private key names no curve");
    }

    /** {tag, start of content, content length} of the element at {@code pos}. */
    private static int[] header(byte[] der, int pos) {
        int length = der[pos + 1] & 0xff;
        int start = pos + 2;
        if (length > 0x80) {
            int bytes = length & 0x7f;
            length = 0;
            for (int i = 0; i < bytes; i++) {
                length = length << 8 | der[start + i] & 0xff;
            }
            start += bytes;
        }
        return new int[] {der[pos] & 0xff, start, length};
    }

    private static byte[] oid(byte[] content) {
        return tlv(0x06, content);
    }

    private static byte[] sequence(byte[] content) {
        return tlv(0x30, content);
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> 8 * i);
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
