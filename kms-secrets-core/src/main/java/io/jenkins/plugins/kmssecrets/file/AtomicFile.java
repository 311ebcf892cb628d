package io.jenkins.plugins.kmssecrets.file;

import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files all at once or not at all: the content goes to a temporary file in the same directory, is forced to
 * disk, then moved over the target atomically. A reader never sees half a file, and a failed write leaves the old
 * file (or none) in place.
 *
 * @since 0.1.0
 */
public final class AtomicFile {

    private AtomicFile() {
    }

    /**
     * Replaces {@code target} with {@code content}, creating parent directories.
     *
     * @throws InvalidInputException naming the file when it cannot be written
     */
    public static void write(Path target, byte[] content) {
        Path absolute = target.toAbsolutePath().normalize();
        Path directory = absolute.getParent();
        Path temp = null;
        try {
            Files.createDirectories(directory);
            temp = Files.createTempFile(directory, "." + absolute.getFileName(), ".tmp");
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(content);
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
        } catch (IOException e) {
            throw new InvalidInputException(null, null, target + ": cannot write the file ("
                    + e.getClass().getSimpleName() + ")");
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the temporary file is hidden and harmless; the write error is what matters
                }
            }
        }
    }

    /** Replaces {@code target} with {@code text} encoded as UTF-8. */
    public static void write(Path target, String text) {
        write(target, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
