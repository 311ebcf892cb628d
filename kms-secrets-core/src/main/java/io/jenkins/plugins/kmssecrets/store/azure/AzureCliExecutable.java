package io.jenkins.plugins.kmssecrets.store.azure;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where the Azure CLI is: {@code az} (or {@code az.cmd}) in a directory of the environment's {@code PATH}
 * ({@code Path} on Windows), as a shell would find it. Used by the {@code azureCli} sign-in and by {@code doctor}.
 *
 * @since 0.2.0
 */
public final class AzureCliExecutable {

    private AzureCliExecutable() {
    }

    /** The first executable {@code az} on {@code environment}'s path, or {@code null} when there is none. */
    public static Path find(Map<String, String> environment) {
        String path = environment.getOrDefault("PATH", environment.getOrDefault("Path", ""));
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            for (String name : List.of("az", "az.cmd")) {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }
}
