package io.jenkins.plugins.kmssecrets.cli;

import io.jenkins.plugins.kmssecrets.masking.LineForms;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What {@code exec} does for a GitHub Actions runner ({@code GITHUB_ACTIONS=true}): it registers every value, in
 * every form our masker knows, with the runner's own log masking ({@code ::add-mask::}, one line per form, multi-line
 * forms line by line, since the runner masks per line) before the command can print anything; and, on request, it
 * passes the values to later steps through the {@code $GITHUB_ENV} file in the heredoc form with a fresh random
 * delimiter per variable, so that no value can end its own entry and inject another variable.
 */
final class GitHubActions {

    /** Bytes of randomness in a delimiter: 32 hex characters. */
    private static final int DELIMITER_RANDOM_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Supplier<String> delimiters;

    GitHubActions() {
        this(GitHubActions::randomDelimiter);
    }

    /** @param delimiters supplies heredoc delimiters (tests pass predictable ones) */
    GitHubActions(Supplier<String> delimiters) {
        this.delimiters = delimiters;
    }

    /** Whether this process runs as a GitHub Actions step. */
    static boolean active(Map<String, String> environment) {
        return "true".equals(environment.get("GITHUB_ACTIONS"));
    }

    /**
     * Writes one {@code ::add-mask::} line per single-line form of each value to {@code stdout} and flushes it.
     * Workflow command data is escaped ({@code %}, CR, LF) as the runner expects, so it registers the form itself.
     */
    static void registerMasks(Iterable<SecretValue> values, OutputStream stdout) throws IOException {
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        try {
            for (SecretValue value : values) {
                for (String form : LineForms.of(value)) {
                    lines.write(("::add-mask::" + escapeData(form) + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            lines.writeTo(stdout);
            stdout.flush();
        } finally {
            wipe(lines);
        }
    }

    /**
     * Appends {@code NAME<<DELIMITER}, the value and the delimiter, for each variable, to {@code file} in one write,
     * after checking every variable, so a refusal leaves the file untouched.
     *
     * @throws CommandFailedException (input error) naming the variable whose value contains the delimiter even after
     *                                a fresh one was drawn
     */
    void appendEnvironmentFile(Path file, Map<String, String> values) throws IOException {
        Map<String, String> delimiterByName = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            String delimiter = delimiters.get();
            if (entry.getValue().contains(delimiter)) {
                delimiter = delimiters.get();
            }
            if (entry.getValue().contains(delimiter)) {
                throw new CommandFailedException(ExitCode.INPUT, "the value of " + entry.getKey() + " contains the "
                        + "$GITHUB_ENV delimiter; nothing was written to $GITHUB_ENV");
            }
            delimiterByName.put(entry.getKey(), delimiter);
        }
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        try {
            for (Map.Entry<String, String> entry : values.entrySet()) {
                String delimiter = delimiterByName.get(entry.getKey());
                content.write((entry.getKey() + "<<" + delimiter + "\n").getBytes(StandardCharsets.UTF_8));
                content.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                content.write(("\n" + delimiter + "\n").getBytes(StandardCharsets.UTF_8));
            }
            byte[] bytes = content.toByteArray();
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND,
                    StandardOpenOption.CREATE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        } finally {
            wipe(content);
        }
    }

    /** {@code kms_} and 32 random hex characters. */
    static String randomDelimiter() {
        byte[] random = new byte[DELIMITER_RANDOM_BYTES];
        RANDOM.nextBytes(random);
        return "kms_" + HexFormat.of().formatHex(random);
    }

    /** The runner unescapes {@code %25}, {@code %0D} and {@code %0A} in a workflow command's data. */
    static String escapeData(String data) {
        return data.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    private static void wipe(ByteArrayOutputStream buffer) {
        // reset() only rewinds; overwrite what was held
        byte[] zeros = new byte[buffer.size()];
        buffer.reset();
        buffer.write(zeros, 0, zeros.length);
        buffer.reset();
    }
}
