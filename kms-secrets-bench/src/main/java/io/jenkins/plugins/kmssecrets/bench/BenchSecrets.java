package io.jenkins.plugins.kmssecrets.bench;

import io.jenkins.plugins.kmssecrets.store.SecretValue;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Deterministic, realistic secrets: API tokens with vendor prefixes, passwords with punctuation, base64 keys and a
 * few multi-line PEM keys. None of them occurs in {@link MavenLog} output (its alphabet of words never produces them).
 */
final class BenchSecrets {

    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String PUNCT = "!#%&()*+,-./:;<=>?@[]^_{|}~";
    private static final String[] PREFIXES = {"ghp_", "xoxb-", "AKIA", "sk_live_", "glpat-", "npm_", ""};

    private BenchSecrets() {
    }

    static Map<String, SecretValue> generate(int count, long seed) {
        Random random = new Random(seed);
        Map<String, SecretValue> secrets = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            int kind = random.nextInt(100);
            String value;
            if (kind < 60) {
                value = PREFIXES[random.nextInt(PREFIXES.length)] + chars(random, ALNUM, 20 + random.nextInt(21));
            } else if (kind < 85) {
                value = chars(random, ALNUM + PUNCT, 12 + random.nextInt(13));
            } else if (kind < 98) {
                byte[] key = new byte[24 + random.nextInt(9)];
                random.nextBytes(key);
                value = Base64.getEncoder().encodeToString(key);
            } else {
                byte[] der = new byte[240];
                random.nextBytes(der);
                value = "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                        + "\n-----END PRIVATE KEY-----\n";
            }
            secrets.put("SECRET_" + i, SecretValue.ofString(value));
        }
        return secrets;
    }

    private static String chars(Random random, String alphabet, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
