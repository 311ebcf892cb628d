package io.jenkins.plugins.kmssecrets.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real upstream fixtures in {@code ../shared/testdata} beside the clone (ESO CRDs and examples, SOPS vectors,
 * AKV REST examples). The build passes their location as the {@code kms.testdata} system property.
 */
public final class TestData {

    private TestData() {
    }

    /** The fixture at {@code relative} (for example {@code sops/getsops-sops/pr1031/example.yaml}). */
    public static Path path(String relative) {
        String root = System.getProperty("kms.testdata", "../../shared/testdata");
        Path path = Path.of(root).resolve(relative).normalize();
        if (!Files.exists(path)) {
            // A git worktree sits one level deeper than the clone: look for shared/testdata in the parents too.
            for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve("shared/testdata").resolve(relative).normalize();
                if (Files.exists(candidate)) {
                    return candidate;
                }
            }
        }
        if (!Files.exists(path)) {
            throw new IllegalStateException("test fixture " + relative + " not found under " + Path.of(root)
                    .toAbsolutePath().normalize() + "; shared/testdata must sit beside the clone");
        }
        return path;
    }
}
