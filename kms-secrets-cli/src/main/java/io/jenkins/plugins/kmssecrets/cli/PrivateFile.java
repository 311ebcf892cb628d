package io.jenkins.plugins.kmssecrets.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

/**
 * Creates a file only its owner can read (0600, in a 0700 directory), all at once, never replacing one that exists:
 * the content goes to a temporary file beside it, is forced to disk, then hard-linked to the name (which fails when
 * the name is taken). Where hard links are not supported it is moved, after checking the name is free.
 */
final class PrivateFile {

    private PrivateFile() {
    }

    /**
     * @throws FileAlreadyExistsException when {@code target} exists
     * @throws IOException                when it cannot be written; no partial file is left
     */
    static void create(Path target, byte[] content) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(directory)) {
            if (posix) {
                Files.createDirectories(directory,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(directory);
            }
        }
        FileAttribute<?>[] ownerOnly = posix ? new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))} : new FileAttribute<?>[0];
        Path temp = Files.createTempFile(directory, "." + target.getFileName(), ".tmp", ownerOnly);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.createLink(target, temp);
            } catch (UnsupportedOperationException e) {
                if (Files.exists(target)) {
                    throw new FileAlreadyExistsException(target.toString());
                }
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            Files.deleteIfExists(temp);
            Arrays.fill(content, (byte) 0);
        }
    }
}
