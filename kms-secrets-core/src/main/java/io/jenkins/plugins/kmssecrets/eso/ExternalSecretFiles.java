package io.jenkins.plugins.kmssecrets.eso;

import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes rendered ExternalSecrets to {@code deploy/<app>/secrets/externalsecret-<name>.yaml} under a working
 * directory. Each file is written to a temporary file beside it and moved into place atomically; an unchanged file
 * is not touched. A path that would leave the working directory, including through a symbolic link, is refused.
 *
 * @since 0.1.0
 */
public final class ExternalSecretFiles {

    /**
     * One file {@code declare} produced.
     *
     * @param path    the file, relative to the working directory
     * @param changed whether its content changed (false: it already held exactly this)
     */
    public record WrittenFile(Path path, boolean changed) {
    }

    private final Path workingDirectory;

    /**
     * @param workingDirectory the directory every written file must stay inside
     */
    public ExternalSecretFiles(Path workingDirectory) {
        this.workingDirectory = workingDirectory.toAbsolutePath().normalize();
    }

    /** The path (relative to the working directory) a declaration is written to. */
    public static Path relativePath(ExternalSecretDeclaration declaration) {
        return Path.of("deploy", declaration.app(), "secrets", "externalsecret-" + declaration.name() + ".yaml");
    }

    /**
     * Renders and writes every declaration.
     *
     * @throws InvalidInputException when a path leaves the working directory or a file cannot be written
     */
    public List<WrittenFile> write(List<ExternalSecretDeclaration> declarations) {
        List<WrittenFile> written = new ArrayList<>();
        for (ExternalSecretDeclaration declaration : declarations) {
            Path relative = relativePath(declaration);
            written.add(new WrittenFile(relative, write(relative, ExternalSecretRenderer.toYaml(declaration))));
        }
        return written;
    }

    /**
     * Writes {@code content} to {@code relative} atomically.
     *
     * @return whether the file changed
     */
    public boolean write(Path relative, String content) {
        Path target = inside(relative);
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        try {
            Path root = workingDirectory.toRealPath();
            Files.createDirectories(target.getParent());
            // Checked after creating the directories: a link planted anywhere on the way is caught here.
            if (!target.getParent().toRealPath().startsWith(root)) {
                throw refused(relative, "a directory on the way is a symbolic link leading outside");
            }
            if (Files.isSymbolicLink(target)) {
                throw refused(relative, "the file is a symbolic link");
            }
            if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
                    && Arrays.equals(Files.readAllBytes(target), bytes)) {
                return false;
            }
            Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            try {
                Files.write(temp, bytes);
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
            return true;
        } catch (IOException e) {
            throw new InvalidInputException(null, null, "cannot write " + relative + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private Path inside(Path relative) {
        if (relative.isAbsolute()) {
            throw refused(relative, "the path is absolute");
        }
        Path target = workingDirectory.resolve(relative).normalize();
        if (!target.startsWith(workingDirectory) || target.equals(workingDirectory)) {
            throw refused(relative, "the path leaves the working directory");
        }
        return target;
    }

    private InvalidInputException refused(Path relative, String why) {
        return new InvalidInputException(null, null, "refusing to write " + relative + ": " + why + " ("
                + workingDirectory + ")");
    }
}
