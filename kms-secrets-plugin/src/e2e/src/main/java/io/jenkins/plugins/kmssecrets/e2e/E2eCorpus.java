package io.jenkins.plugins.kmssecrets.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.jenkins.plugins.kmssecrets.testing.TestKeys;
import java.util.concurrent.TimeUnit;

/**
 * The secrets of one run: for each store type the same corpus keys, with values generated for the run (so a leak
 * found in a build can only come from this run) and chosen so that every encoded form differs from the raw value:
 * quotes, a backslash, {@code / + & = %}, a space, a non-ASCII letter, and a multi-line PEM-like block.
 */
public final class E2eCorpus {

    /** Store type keys, in the order the suite runs them. */
    public static final List<String> STORE_TYPES = List.of("sops", "akv", "gsm", "vault");

    /** Corpus keys every store holds. */
    public static final List<String> TEXT_KEYS = List.of("password", "multiline");
    /** Corpus keys with a credential type (not SOPS: a SOPS file has no per-secret metadata). */
    public static final List<String> TYPED_KEYS = List.of("userpass", "file", "ssh", "cert", "userjson", "sshpass",
            "sshphrase", "certpem", "explicit", "systemscope", "rotate");

    /** How many plain secrets the concurrency case binds at once ({@code load01} ...), in the Vault store only. */
    public static final int LOAD_SECRETS = 20;
    /** The store types holding the load secrets. */
    public static final java.util.Set<String> LOAD_STORES = java.util.Set.of("vault");

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Map<String, E2eSecret>> byStore = new LinkedHashMap<>();
    private final String runTag;

    private E2eCorpus(String runTag) {
        this.runTag = runTag;
    }

    /** A fresh corpus; {@code runTag} is part of every value (letters and digits). */
    public static E2eCorpus create(String runTag) {
        E2eCorpus corpus = new E2eCorpus(runTag);
        String certificate = Base64.getEncoder().encodeToString(pkcs12());
        String certificatePem = pem(keytool("EC", "CN=kms-e2e-pem"));
        TestKeys.Entry sshRsa = TestKeys.selfSigned("RSA", "CN=kms-e2e-ssh");
        for (String store : STORE_TYPES) {
            Map<String, E2eSecret> secrets = new LinkedHashMap<>();
            String r = runTag + store;
            add(secrets, store, "password", "P@ss w0rd-" + r + "-" + random(6) + "\"q'\\/+&=%\u00e9", null, null, null);
            add(secrets, store, "multiline", "-----BEGIN E2E KEY-----\nL1" + r + random(30) + "\nL2" + r + random(30)
                    + "\nL3" + r + random(12) + "\n-----END E2E KEY-----", null, null, null);
            if (!"sops".equals(store)) {
                add(secrets, store, "userpass", "Up4ss-" + r + "-" + random(8) + ":;{}", "usernamePassword",
                        "e2e-user", null);
                add(secrets, store, "file", "token=" + r + random(16) + "\nsecond=" + random(16) + "\n", "file", null,
                        "e2e-file");
                add(secrets, store, "ssh", sshKey(), "sshUserPrivateKey", "git", null);
                add(secrets, store, "cert", certificate, "certificate", null, null);
                // One JSON secret with username and password, selected by property tags.
                String jsonUser = "e2e-json-" + r;
                String jsonPassword = "Js0n-" + r + "-" + random(8) + "\"q'\\/+&=%";
                Map<String, String> data = new java.util.TreeMap<>(Map.of("username", jsonUser, "password",
                        jsonPassword));
                secrets.put("userjson", new E2eSecret(store, "userjson", "e2e-userjson", json(data),
                        "usernamePassword", jsonUser, null, Map.of("jenkins-credentials-username-property", "username",
                        "jenkins-credentials-property", "password"), jsonPassword, data));
                // An encrypted PEM key whose passphrase is another secret of the store.
                String passphrase = "e2e phrase " + r + " " + random(10);
                add(secrets, store, "sshphrase", passphrase, null, null, null);
                secrets.put("sshpass", new E2eSecret(store, "sshpass", "e2e-sshpass",
                        TestKeys.encryptedPkcs1Pem(sshRsa.key(), passphrase), "sshUserPrivateKey", "deploy", null,
                        Map.of("jenkins-credentials-passphrase-secret",
                        "vault".equals(store) ? "e2e-sshphrase#value" : "e2e-sshphrase"), null, null));
                // A PEM private key and certificate, assembled into a PKCS#12 key store by the plugin.
                add(secrets, store, "certpem", certificatePem, "certificate", null, null);
                // An explicit id, and a SYSTEM-scoped secret that no job may use.
                secrets.put("explicit", new E2eSecret(store, "explicit", "e2e-explicit", "Expl1cit-" + r + "-"
                        + random(10), null, null, null, Map.of("jenkins-credentials-id", "e2e-explicit-" + r,
                        "jenkins-credentials-description", "e2e-explicit-id"), null, null));
                // Rotated by the kmsRotate case (its new value is generated in Jenkins and never known here).
                add(secrets, store, "rotate", "R0tate-" + r + "-" + random(12), null, null, null);
                secrets.put("systemscope", new E2eSecret(store, "systemscope", "e2e-systemscope", "Sys-" + r + "-"
                        + random(10), null, null, null, Map.of("jenkins-credentials-scope", "SYSTEM"), null, null));
            }
            if (LOAD_STORES.contains(store)) {
                // A value no environment variable can carry: withKmsSecrets must refuse it by name.
                add(secrets, store, "nul", "Nul-" + r + "-" + random(8) + "\0after-" + random(8), null, null, null);
                for (int i = 1; i <= LOAD_SECRETS; i++) {
                    add(secrets, store, loadKey(i), "Ld" + i + "-" + r + "-" + random(10) + "+/=&", null, null, null);
                }
            }
            corpus.byStore.put(store, secrets);
        }
        return corpus;
    }

    private static void add(Map<String, E2eSecret> secrets, String store, String key, String value, String type,
            String username, String filename) {
        secrets.put(key, new E2eSecret(store, key, "e2e-" + key, value, type, username, filename));
    }

    /** The corpus key of the {@code i}th load secret (1-based): {@code load01} ... */
    public static String loadKey(int i) {
        return String.format(java.util.Locale.ROOT, "load%02d", i);
    }

    public String runTag() {
        return runTag;
    }

    /** The secrets of {@code store}, by corpus key. */
    public Map<String, E2eSecret> secrets(String store) {
        Map<String, E2eSecret> secrets = byStore.get(store);
        if (secrets == null) {
            throw new IllegalArgumentException("unknown store type '" + store + "'; known: " + STORE_TYPES);
        }
        return secrets;
    }

    /** Every value of every store. */
    public List<String> allValues() {
        List<String> values = new ArrayList<>();
        byStore.values().forEach(s -> s.values().forEach(secret -> {
            values.add(secret.value());
            if (!secret.credentialValue().equals(secret.value())) {
                values.add(secret.credentialValue());
            }
        }));
        return values;
    }

    /** A random run tag: 6 lower-case letters and digits. */
    public static String randomTag() {
        return random(6).toLowerCase(java.util.Locale.ROOT);
    }

    static String random(int length) {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    /** A flat JSON object of strings. */
    static String json(Map<String, String> properties) {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, String> e : properties.entrySet()) {
            out.append(out.length() > 1 ? "," : "").append(quote(e.getKey())).append(':').append(quote(e.getValue()));
        }
        return out.append('}').toString();
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }

    private static String sshKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            byte[] der = generator.generateKeyPair().getPrivate().getEncoded();
            return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(der) + "\n-----END PRIVATE KEY-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not generate the e2e SSH key", e);
        }
    }

    /** A password-less PKCS#12 file with one key and its self-signed certificate (made with keytool). */
    private static byte[] pkcs12() {
        try {
            KeyStore source = keytool("EC", "CN=kms-e2e");
            KeyStore target = KeyStore.getInstance("PKCS12");
            target.load(null, null);
            target.setKeyEntry("e2e", source.getKey("e2e", KEYTOOL_PASSWORD), new char[0],
                    source.getCertificateChain("e2e"));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            target.store(out, new char[0]);
            return out.toByteArray();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not create the e2e certificate", e);
        }
    }

    private static final char[] KEYTOOL_PASSWORD = "e2e-keystore".toCharArray();

    /**
     * A key store with one key pair ({@code EC} on P-256, or {@code RSA} 2048) and its self-signed certificate under
     * alias {@code e2e}, made with the JDK's keytool (the JDK has no public API to issue a certificate).
     */
    static KeyStore keytool(String keyAlgorithm, String distinguishedName) {
        try {
            Path dir = Files.createTempDirectory("kms-e2e-cert");
            Path file = dir.resolve("c.p12");
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            List<String> command = new ArrayList<>(List.of(keytool.toString(), "-genkeypair", "-alias", "e2e",
                    "-keyalg", keyAlgorithm));
            command.addAll("EC".equals(keyAlgorithm) ? List.of("-groupname", "secp256r1") : List.of("-keysize", "2048"));
            command.addAll(List.of("-dname", distinguishedName, "-validity", "30", "-storetype", "PKCS12",
                    "-keystore", file.toString(), "-storepass", new String(KEYTOOL_PASSWORD), "-keypass",
                    new String(KEYTOOL_PASSWORD)));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed for " + distinguishedName);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                store.load(in, KEYTOOL_PASSWORD);
            }
            Files.delete(file);
            Files.delete(dir);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not create a certificate for " + distinguishedName, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** PEM of the {@code e2e} entry of {@code store}: the private key (PKCS#8), then the certificate. */
    static String pem(KeyStore store) {
        try {
            Base64.Encoder mime = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
            return "-----BEGIN PRIVATE KEY-----\n" + mime.encodeToString(store.getKey("e2e", KEYTOOL_PASSWORD)
                    .getEncoded()) + "\n-----END PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\n"
                    + mime.encodeToString(store.getCertificate("e2e").getEncoded()) + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not encode the key store entry", e);
        }
    }
}
