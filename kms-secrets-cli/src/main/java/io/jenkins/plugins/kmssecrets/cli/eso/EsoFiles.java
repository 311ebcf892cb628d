package io.jenkins.plugins.kmssecrets.cli.eso;

import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The YAML files named on the command line: files as given, directories searched for *.yaml and *.yml, sorted. */
public final class EsoFiles {

    private EsoFiles() {
    }

    /** How a file is named in messages: relative to the working directory when inside it, with forward slashes. */
    public static String display(Path workingDirectory, Path file) {
        Path shown = file.startsWith(workingDirectory) && !file.equals(workingDirectory)
                ? workingDirectory.relativize(file) : file;
        return shown.toString().replace('\\', '/');
    }

    /** The files, resolved against {@code workingDirectory}; at least one. */
    public static List<Path> expand(Path workingDirectory, List<Path> arguments) {
        List<Path> files = find(workingDirectory, arguments);
        if (files.isEmpty()) {
            throw new InvalidInputException(null, null, "no YAML files found in " + arguments);
        }
        return files;
    }

    /** The files, resolved against {@code workingDirectory}; empty when the directories hold no YAML file. */
    public static List<Path> find(Path workingDirectory, List<Path> arguments) {
        List<Path> files = new ArrayList<>();
        for (Path given : arguments) {
            Path argument = workingDirectory.resolve(given);
            if (Files.isDirectory(argument)) {
                try (Stream<Path> walk = Files.walk(argument)) {
                    walk.filter(Files::isRegularFile)
                            .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                            .sorted()
                            .forEach(files::add);
                } catch (IOException e) {
                    throw new InvalidInputException(null, null, given + ": cannot list the directory ("
                            + e.getClass().getSimpleName() + ")");
                }
            } else if (Files.isRegularFile(argument)) {
                files.add(argument);
            } else {
                throw new InvalidInputException(null, null, given + ": no such file or directory");
            }
        }
        return files;
    }
}
