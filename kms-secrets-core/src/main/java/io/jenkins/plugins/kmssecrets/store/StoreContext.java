package io.jenkins.plugins.kmssecrets.store;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What a store needs from its surroundings, handed in rather than read from globals so that tests, the CLI and
 * Jenkins each supply their own.
 *
 * @param environment      environment variables visible to the store (for example {@code SOPS_AGE_KEY_FILE})
 * @param baseDirectory    relative file settings resolve against this directory (the manifest's directory)
 * @param clock            the clock for expiry and cache decisions
 * @since 0.1.0
 */
public record StoreContext(Map<String, String> environment, Path baseDirectory, Clock clock) {

    public StoreContext {
        environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        Objects.requireNonNull(baseDirectory, "baseDirectory");
        Objects.requireNonNull(clock, "clock");
    }

    /** The process environment, the current directory and the system clock. */
    public static StoreContext system() {
        return new StoreContext(System.getenv(), Path.of("").toAbsolutePath(), Clock.systemUTC());
    }

    /** The same context with another base directory. */
    public StoreContext withBaseDirectory(Path directory) {
        return new StoreContext(environment, directory, clock);
    }

    /** An environment variable, or {@code null}. */
    public String env(String name) {
        return environment.get(name);
    }

    /** {@code path} resolved against the base directory (absolute paths stay as they are). */
    public Path resolve(String path) {
        return baseDirectory.resolve(path).normalize();
    }

    /** Never the environment's values: it holds credentials. */
    @Override
    public String toString() {
        return "StoreContext[baseDirectory=" + baseDirectory + ", environment=" + environment.size()
                + " variables, clock=" + clock + "]";
    }
}
