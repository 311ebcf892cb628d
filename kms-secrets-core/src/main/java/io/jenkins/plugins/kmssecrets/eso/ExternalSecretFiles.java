package io.jenkins.plugins.kmssecrets.eso;

import io.jenkins.plugins.kmssecrets.file.AtomicFile;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes rendered ExternalSecrets to {@code deploy/<app>/secrets/externalsecret-<name>.yaml} under a working
 * directory. Each file is written atomically ({@link AtomicFile}); an unchanged file is not touched. A path that
 * would leave the working directory, including through a symbolic link, is refused before anything is created.
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
     * Renders and writes every declaration. Nothing is written when two declarations map to the same file.
     *
     * @throws InvalidInputException when two declarations share a file, a path leaves the working directory or a
     *                               file cannot be written
     */
    public List<WrittenFile> write(List<ExternalSecretDeclaration> declarations) {
        Map<Path, ExternalSecretDeclaration> byPath = new LinkedHashMap<>();
        for (ExternalSecretDeclaration declaration : declarations) {
            ExternalSecretDeclaration previous = byPath.putIfAbsent(relativePath(declaration), declaration);
            if (previous != null) {
                throw new InvalidInputException(null, null, "refusing to write " + relativePath(declaration)
                        + ": both " + previous.namespace() + "/" + previous.name() + " and "
                        + declaration.namespace() + "/" + declaration.name() + " map to it");
            }
        }
        List<WrittenFile> written = new ArrayList<>();
        byPath.forEach((relative, declaration) ->
                written.add(new WrittenFile(relative, write(relative, ExternalSecretRenderer.toYaml(declaration)))));
        return written;
    }

    /**
     * Writes {@code content} to {@code relative} atomically ({@link AtomicFile}); an unchanged file is left alone.
     *
     * @return whether the file changed
     */
    public boolean write(Path relative, String content) {
        Path target = inside(relative);
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        try {
            createDirectoriesInside(relative, target.getParent());
            if (Files.isSymbolicLink(target)) {
                throw refused(relative, "the file is a symbolic link");
            }
            if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
                    && Arrays.equals(Files.readAllBytes(target), bytes)) {
                return false;
            }
        } catch (IOException e) {
            throw new InvalidInputException(null, null, "cannot write " + relative + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        AtomicFile.write(target, bytes);
        return true;
    }

    /**
     * Creates {@code directory} one component at a time from the working directory, refusing before creating
     * anything beyond a symbolic link: creating first would follow a planted link and make directories outside.
     */
    private void createDirectoriesInside(Path relative, Path directory) throws IOException {
        Path current = workingDirectory;
        for (Path component : workingDirectory.relativize(directory)) {
            current = current.resolve(component);
            if (Files.isSymbolicLink(current)) {
                throw refused(relative, "a directory on the way is a symbolic link leading outside");
            }
            if (!Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectory(current);
                } catch (FileAlreadyExistsException e) {
                    // created concurrently; the link check below still applies
                }
            }
            if (Files.isSymbolicLink(current) || !Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                throw refused(relative, Files.isSymbolicLink(current)
                        ? "a directory on the way is a symbolic link leading outside"
                        : current.getFileName() + " is not a directory");
            }
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
