package io.jenkins.plugins.kmssecrets.credentials;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One PEM block: its label ({@code CERTIFICATE}, {@code PRIVATE KEY} ...) and DER bytes. Headers inside a block
 * ({@code Proc-Type}, {@code DEK-Info}) are reported by {@link #encrypted()}.
 *
 * @param label     the label between {@code BEGIN} and the dashes
 * @param der       the decoded body (the caller wipes it)
 * @param encrypted whether the block carries the legacy OpenSSL encryption headers
 */
record Pem(String label, byte[] der, boolean encrypted) {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n(.*?)-----END \\1-----", Pattern.DOTALL);

    /** Every block of {@code text}, in order; a body that is not base64 is skipped. */
    static List<Pem> blocks(String text) {
        List<Pem> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String body = m.group(2);
            boolean encrypted = body.contains("Proc-Type:") && body.contains("ENCRYPTED");
            StringBuilder base64 = new StringBuilder();
            for (String line : body.split("\\r?\\n")) {
                if (!line.contains(":")) {
                    base64.append(line.trim());
                }
            }
            try {
                blocks.add(new Pem(m.group(1), Base64.getDecoder().decode(base64.toString()), encrypted));
            } catch (IllegalArgumentException e) {
                // Not a PEM body; nothing to take from it.
            }
        }
        return blocks;
    }

    /** Never the bytes. */
    @Override
    public String toString() {
        return "Pem[" + label + "]";
    }
}
