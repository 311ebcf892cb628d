package io.jenkins.plugins.kmssecrets.credentials;

import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The key store of a certificate credential, from a secret's value: a PKCS#12 file (raw bytes, or base64 as Azure Key
 * Vault serves the secret behind a certificate) as it is, or PEM text holding one private key (PKCS#8
 * {@code PRIVATE KEY}, PKCS#1 {@code RSA PRIVATE KEY} or SEC 1 {@code EC PRIVATE KEY}, unencrypted) and its
 * certificate chain in any order, assembled in memory into a PKCS#12 key store whose leaf is the certificate matching
 * the key. Errors name the store and secret and say what is wrong with the value's shape, never its content (parser
 * messages are dropped: they can quote input).
 *
 * @since 0.1.0
 */
public final class CertificateKeyStore {

    /** Alias of the key entry of an assembled key store. */
    public static final String ALIAS = "certificate";

    private static final String BEGIN = "-----BEGIN ";

    private CertificateKeyStore() {
    }

    /**
     * PKCS#12 bytes for {@code value}: a PKCS#12 file unchanged (base64 decoded), or PEM assembled into one protected
     * by {@code password} (empty for none). The caller wipes {@code value} and the result.
     *
     * @throws InvalidInputException when the value is neither, or the PEM lacks a key, a certificate, or a
     *                               certificate matching the key
     */
    public static byte[] pkcs12(byte[] value, char[] password, String storeId, String secretName) {
        String text = new String(value, StandardCharsets.ISO_8859_1);
        if (!text.contains(BEGIN)) {
            return decodeIfBase64(value, text);
        }
        try {
            KeyStore store = assemble(text, password, storeId, secretName);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, password);
            return out.toByteArray();
        } catch (IOException | GeneralSecurityException e) {
            throw invalid(storeId, secretName, "the PEM key and certificates could not be stored as PKCS#12 ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * The key store of {@code value} ({@link #pkcs12}), opened with {@code password}.
     *
     * @throws InvalidInputException as {@link #pkcs12}, or when the PKCS#12 file does not open with the password
     */
    public static KeyStore load(byte[] value, char[] password, String storeId, String secretName) {
        byte[] pkcs12 = pkcs12(value, password, storeId, secretName);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(pkcs12), password);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw invalid(storeId, secretName, "the value is not a PKCS#12 file that opens with "
                    + (password.length == 0 ? "an empty password" : "the given password") + " ("
                    + e.getClass().getSimpleName() + ")");
        } finally {
            Arrays.fill(pkcs12, (byte) 0);
        }
    }

    private static KeyStore assemble(String text, char[] password, String storeId, String secretName)
            throws IOException, GeneralSecurityException {
        PrivateKey key = null;
        List<X509Certificate> certificates = new ArrayList<>();
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        for (Pem block : Pem.blocks(text)) {
            switch (block.label()) {
                case "CERTIFICATE" -> certificates.add((X509Certificate) factory.generateCertificate(
                        new ByteArrayInputStream(block.der())));
                case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY" -> {
                    if (key != null) {
                        throw invalid(storeId, secretName, "the PEM holds more than one private key");
                    }
                    key = privateKey(block, storeId, secretName);
                }
                case "ENCRYPTED PRIVATE KEY" -> throw invalid(storeId, secretName,
                        "the PEM private key is encrypted; store it unencrypted or as a PKCS#12 file with a password");
                default -> {
                    // Other blocks (parameters, a public key) play no part in a key store.
                }
            }
            Arrays.fill(block.der(), (byte) 0);
        }
        if (key == null) {
            throw invalid(storeId, secretName, "the PEM holds no private key");
        }
        if (certificates.isEmpty()) {
            throw invalid(storeId, secretName, "the PEM holds no certificate");
        }
        X509Certificate leaf = null;
        for (X509Certificate certificate : certificates) {
            if (matches(key, certificate)) {
                leaf = certificate;
                break;
            }
        }
        if (leaf == null) {
            throw invalid(storeId, secretName, "no certificate of the PEM matches its private key");
        }
        // The chain follows issuers from the leaf; certificates outside it (another chain's) are left out.
        List<Certificate> chain = new ArrayList<>();
        X509Certificate current = leaf;
        while (current != null && !chain.contains(current)) {
            chain.add(current);
            X509Certificate issuer = null;
            for (X509Certificate candidate : certificates) {
                if (!candidate.equals(current) && candidate.getSubjectX500Principal()
                        .equals(current.getIssuerX500Principal())) {
                    issuer = candidate;
                }
            }
            current = issuer;
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(ALIAS, key, password, chain.toArray(new Certificate[0]));
        return store;
    }

    private static PrivateKey privateKey(Pem block, String storeId, String secretName) {
        byte[] pkcs8 = switch (block.label()) {
            case "RSA PRIVATE KEY" -> Der.pkcs8(Der.RSA_ALGORITHM, block.der());
            case "EC PRIVATE KEY" -> Der.pkcs8(Der.ecAlgorithm(block.der()), block.der());
            default -> block.der().clone();
        };
        try {
            for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "DSA")) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
                } catch (GeneralSecurityException e) {
                    // Not this algorithm; try the next.
                }
            }
            throw invalid(storeId, secretName, "the PEM private key is of no supported algorithm (RSA, EC, EdDSA, "
                    + "DSA)");
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    private static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            default -> key.getAlgorithm();
        };
        try {
            byte[] probe = "kms-secrets key match".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static byte[] decodeIfBase64(byte[] raw, String text) {
        String trimmed = text.trim();
        if (!trimmed.isEmpty() && trimmed.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '+'
                || c == '/' || c == '=' || c == '\r' || c == '\n')) {
            try {
                return Base64.getMimeDecoder().decode(trimmed);
            } catch (IllegalArgumentException e) {
                return raw.clone();
            }
        }
        return raw.clone();
    }

    private static InvalidInputException invalid(String storeId, String secretName, String detail) {
        return new InvalidInputException(storeId, secretName, detail);
    }
}
