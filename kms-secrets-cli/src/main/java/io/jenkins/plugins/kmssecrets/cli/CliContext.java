package io.jenkins.plugins.kmssecrets.cli;

import io.jenkins.plugins.kmssecrets.manifest.Manifest;
import io.jenkins.plugins.kmssecrets.manifest.ManifestParser;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.StoreSet;
import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What the commands take from their surroundings: environment, working directory, clock and store types. Tests hand
 * in their own; {@link #system()} is the real process.
 *
 * @param environment      environment variables (store settings such as {@code SOPS_AGE_KEY_FILE}, and the base of
 *                         {@code exec}'s child environment)
 * @param workingDirectory relative paths resolve against this
 * @param clock            "now" for checks
 * @param storeTypes       the store types available
 * @param stdin            bytes {@code mask} reads
 * @param stdout           bytes {@code exec} and {@code mask} write (masked)
 * @param stderr           bytes {@code exec} writes from its command's stderr (masked)
 */
public record CliContext(Map<String, String> environment, Path workingDirectory, Clock clock, StoreTypes storeTypes,
                         InputStream stdin, OutputStream stdout, OutputStream stderr) {

    public static CliContext system() {
        return new CliContext(System.getenv(), Path.of("").toAbsolutePath(), Clock.systemUTC(),
                StoreTypes.installed(), System.in, System.out, System.err);
    }

    /** Reads and validates the manifest at {@code path} (relative to the working directory). */
    public Manifest manifest(String path) {
        return new ManifestParser(storeTypes).parse(workingDirectory.resolve(path), path);
    }

    /** Builds the manifest's stores; relative store settings resolve against the manifest's directory. */
    public StoreSet stores(Manifest manifest) {
        return StoreSet.create(manifest.stores(), storeTypes,
                new StoreContext(environment, manifest.baseDirectory(), clock));
    }

    /** Names only: the environment holds credentials. */
    @Override
    public String toString() {
        return "CliContext[workingDirectory=" + workingDirectory + ", environment=" + environment.size()
                + " variables, storeTypes=" + storeTypes.names() + "]";
    }
}
