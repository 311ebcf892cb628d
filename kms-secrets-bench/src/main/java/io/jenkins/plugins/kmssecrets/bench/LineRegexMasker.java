package io.jenkins.plugins.kmssecrets.bench;

import io.jenkins.plugins.kmssecrets.store.SecretValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The baseline: masking as credentials-binding describes it, written here from that description. One regular
 * expression alternating the {@link Pattern#quote quoted} forms of every secret, longest first, applied to each
 * complete line (output is buffered until a newline). Forms per secret, as in its pattern factories: the literal,
 * bash's {@code '\''} quoting, {@code $} doubled, and base64 (standard and URL-safe).
 */
final class LineRegexMasker {

    private final Pattern pattern;

    LineRegexMasker(Map<String, SecretValue> secrets) {
        Set<String> forms = new LinkedHashSet<>();
        for (SecretValue value : secrets.values()) {
            String text = value.asString();
            if (text.length() < 3) {
                continue;
            }
            forms.add(text);
            forms.add(text.replace("'", "'\\''"));
            forms.add(text.replace("$", "$$"));
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            forms.add(Base64.getEncoder().encodeToString(bytes));
            forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        }
        List<String> sorted = new ArrayList<>(forms);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        pattern = Pattern.compile(sorted.stream().map(Pattern::quote).collect(Collectors.joining("|")));
    }

    OutputStream wrap(OutputStream out) {
        return new LineStream(out);
    }

    private final class LineStream extends OutputStream {
        private final OutputStream out;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

        LineStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            line.write(b);
            if (b == '\n') {
                eol();
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int end = off + len;
            int start = off;
            for (int i = off; i < end; i++) {
                if (b[i] == '\n') {
                    line.write(b, start, i + 1 - start);
                    eol();
                    start = i + 1;
                }
            }
            line.write(b, start, end - start);
        }

        private void eol() throws IOException {
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            out.write(pattern.matcher(text).replaceAll("****").getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void close() throws IOException {
            if (line.size() > 0) {
                eol();
            }
            out.close();
        }
    }
}
