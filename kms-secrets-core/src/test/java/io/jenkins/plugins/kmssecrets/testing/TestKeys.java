package io.jenkins.plugins.kmssecrets.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keys and certificates for tests, in the encodings stores hold them: PKCS#8, PKCS#1 (plain and with OpenSSL's legacy
 * {@code Proc-Type}/{@code DEK-Info} encryption, as {@code ssh-keygen -m PEM -N pass} writes), SEC 1 with its curve,
 * and certificates. Certificates come from the JDK's keytool (the JDK has no public API to issue one).
 */
public final class TestKeys {

    private static final char[] PASSWORD = "test-keystore".toCharArray();
    private static final Base64.Encoder MIME = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

    /** A private key and its self-signed certificate. */
    public record Entry(PrivateKey key, X509Certificate certificate) {
    }

    private TestKeys() {
    }

    /** A key pair ({@code RSA} 2048 or {@code EC} P-256) with a self-signed certificate for {@code dn}. */
    public static Entry selfSigned(String algorithm, String dn) {
        try {
            Path dir = Files.createTempDirectory("kms-test-cert");
            Path file = dir.resolve("c.p12");
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            List<String> command = new ArrayList<>(List.of(keytool.toString(), "-genkeypair", "-alias", "k",
                    "-keyalg", algorithm));
            command.addAll("EC".equals(algorithm) ? List.of("-groupname", "secp256r1") : List.of("-keysize", "2048"));
            command.addAll(List.of("-dname", dn, "-validity", "30", "-storetype", "PKCS12", "-keystore",
                    file.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed for " + dn);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                store.load(in, PASSWORD);
            }
            Files.delete(file);
            Files.delete(dir);
            return new Entry((PrivateKey) store.getKey("k", PASSWORD), (X509Certificate) store.getCertificate("k"));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not create a certificate for " + dn, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public static String certificatePem(X509Certificate certificate) {
        try {
            return pem("CERTIFICATE", certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pkcs8Pem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /** The RSA key as PKCS#1 ({@code RSA PRIVATE KEY}): the OCTET STRING inside its PKCS#8 encoding. */
    public static String pkcs1Pem(PrivateKey key) {
        return pem("RSA PRIVATE KEY", pkcs1(key));
    }

    /** The EC P-256 key as SEC 1 ({@code EC PRIVATE KEY}) naming its curve, as OpenSSL writes it. */
    public static String sec1Pem(PrivateKey key) {
        byte[] s = unsigned(((ECPrivateKey) key).getS(), 32);
        byte[] curve = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x01, 0x04, 0x20});
        body.writeBytes(s);
        body.writeBytes(new byte[] {(byte) 0xa0, (byte) curve.length});
        body.writeBytes(curve);
        byte[] content = body.toByteArray();
        ByteArrayOutputStream der = new ByteArrayOutputStream();
        der.writeBytes(new byte[] {0x30, (byte) content.length});
        der.writeBytes(content);
        return pem("EC PRIVATE KEY", der.toByteArray());
    }

    /**
     * The RSA key as PKCS#1 encrypted the way OpenSSL's legacy PEM does ({@code DEK-Info: AES-128-CBC}, key from
     * {@code EVP_BytesToKey} with MD5 over the passphrase and the first 8 bytes of the IV).
     */
    public static String encryptedPkcs1Pem(PrivateKey key, String passphrase) {
        try {
            byte[] iv = new byte[16];
            new SecureRandom().nextBytes(iv);
            byte[] pass = passphrase.getBytes(StandardCharsets.UTF_8);
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(pass);
            md5.update(iv, 0, 8);
            byte[] aesKey = md5.digest();
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new IvParameterSpec(iv));
            byte[] encrypted = cipher.doFinal(pkcs1(key));
            return "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,"
                    + HexFormat.of().withUpperCase().formatHex(iv) + "\n\n" + MIME.encodeToString(encrypted)
                    + "\n-----END RSA PRIVATE KEY-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] pkcs1(PrivateKey key) {
        byte[] der = key.getEncoded();
        // PrivateKeyInfo: SEQUENCE { INTEGER 0, SEQUENCE algorithm, OCTET STRING key }; skip to the OCTET STRING.
        int pos = headerEnd(der, 0);
        pos = skip(der, pos);
        pos = skip(der, pos);
        int start = headerEnd(der, pos);
        return Arrays.copyOfRange(der, start, start + length(der, pos));
    }

    private static int skip(byte[] der, int pos) {
        return headerEnd(der, pos) + length(der, pos);
    }

    private static int headerEnd(byte[] der, int pos) {
        int first = der[pos + 1] & 0xff;
        return pos + 2 + (first > 0x80 ? first & 0x7f : 0);
    }

    private static int length(byte[] der, int pos) {
        int first = der[pos + 1] & 0xff;
        if (first <= 0x80) {
            return first;
        }
        int length = 0;
        for (int i = 0; i < (first & 0x7f); i++) {
            length = length << 8 | der[pos + 2 + i] & 0xff;
        }
        return length;
    }

    private static byte[] unsigned(BigInteger value, int size) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[size];
        int copy = Math.min(bytes.length, size);
        System.arraycopy(bytes, bytes.length - copy, out, size - copy, copy);
        return out;
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + MIME.encodeToString(der) + "\n-----END " + label + "-----\n";
    }
}
