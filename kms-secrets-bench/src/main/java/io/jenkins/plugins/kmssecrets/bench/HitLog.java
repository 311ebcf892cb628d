package io.jenkins.plugins.kmssecrets.bench;

import io.jenkins.plugins.kmssecrets.store.SecretValue;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The {@link MavenLog} with a secret form in 1 % of its lines: before the newline of each chosen line, a space and one
 * secret printed as itself (half the time), base64 (a quarter) or lower-case hex (a quarter), as a build that echoes
 * a token, a Kubernetes {@code data:} value or a hex dump would. Deterministic; {@link #forms} counts the insertions.
 */
final class HitLog {

    final byte[] bytes;
    final int forms;

    private HitLog(byte[] bytes, int forms) {
        this.bytes = bytes;
        this.forms = forms;
    }

    static HitLog generate(byte[] log, Map<String, SecretValue> secrets, long seed) {
        List<String> values = new ArrayList<>();
        for (SecretValue value : secrets.values()) {
            values.add(value.asString());
        }
        Random random = new Random(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream(log.length + log.length / 50);
        int inserted = 0;
        int lineStart = 0;
        for (int i = 0; i < log.length; i++) {
            if (log[i] != '\n') {
                continue;
            }
            out.write(log, lineStart, i - lineStart);
            if (random.nextInt(100) == 0) {
                String value = values.get(random.nextInt(values.size()));
                byte[] raw = value.getBytes(StandardCharsets.UTF_8);
                int kind = random.nextInt(4);
                byte[] form = kind < 2 ? raw
                        : kind == 2 ? Base64.getEncoder().encode(raw)
                        : HexFormat.of().formatHex(raw).getBytes(StandardCharsets.US_ASCII);
                out.write(' ');
                out.writeBytes(form);
                inserted++;
            }
            out.write('\n');
            lineStart = i + 1;
        }
        out.write(log, lineStart, log.length - lineStart);
        return new HitLog(out.toByteArray(), inserted);
    }
}
