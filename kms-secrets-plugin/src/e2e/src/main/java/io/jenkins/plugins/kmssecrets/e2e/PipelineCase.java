package io.jenkins.plugins.kmssecrets.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One behaviour: {@code pipelines/<name>.groovy} and its expectation {@code pipelines/<name>.expect}. Both are
 * templates ({@link Placeholders}); {@link #forStore} instantiates them for one store type.
 *
 * @param name       the file name without extension
 * @param script     the pipeline template
 * @param expectText the expectation template
 */
public record PipelineCase(String name, String script, String expectText) {

    /** Every case in {@code dir}, sorted by name; a pipeline without its {@code .expect} file is an error. */
    public static List<PipelineCase> load(Path dir) {
        List<PipelineCase> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                String fileName = file.getFileName().toString();
                if (!fileName.endsWith(".groovy")) {
                    continue;
                }
                String name = fileName.substring(0, fileName.length() - ".groovy".length());
                Path expect = dir.resolve(name + ".expect");
                if (!Files.exists(expect)) {
                    throw new IllegalArgumentException(file + ": no expectation beside it (" + expect.getFileName() + ")");
                }
                cases.add(new PipelineCase(name, Files.readString(file, StandardCharsets.UTF_8),
                        Files.readString(expect, StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the pipelines in " + dir, e);
        }
        return cases;
    }

    /** The store types this case runs for (its expectation's {@code stores:} line, or all). */
    public java.util.Set<String> stores() {
        // Parsed without placeholders: the stores line names store types only.
        StringBuilder storesOnly = new StringBuilder();
        for (String line : expectText.split("\\R")) {
            if (line.strip().startsWith("stores:")) {
                storesOnly.append(line).append('\n');
            }
        }
        return Expectation.parse(name + ".expect", storesOnly.toString()).stores();
    }

    /** The pipeline script for {@code placeholders}' store. */
    public String scriptFor(Placeholders placeholders) {
        return placeholders.apply(name + ".groovy", script);
    }

    /** The expectation for {@code placeholders}' store. */
    public Expectation expectationFor(Placeholders placeholders) {
        return Expectation.parse(name + ".expect", placeholders.apply(name + ".expect", expectText));
    }

    /** The Jenkins job name for a store type. */
    public String jobName(String storeType) {
        return "kms-e2e-" + name + "-" + storeType;
    }
}
