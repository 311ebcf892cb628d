package io.jenkins.plugins.kmssecrets.store.sops;

import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretStoreProvider;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import java.nio.file.Path;
import java.util.Set;

/**
 * Builds {@link SopsStore}s from definitions of type {@code sops}:
 * <pre>
 * - id: local
 *   type: sops
 *   file: secrets/dev.enc.yaml      # required; relative to the manifest's directory
 *   ageKeyFile: ~/keys/dev.txt      # optional; otherwise SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, sops' default file
 * </pre>
 * Creating a store reads nothing; the file and the key are read when the store is used.
 *
 * @since 0.1.0
 */
public final class SopsStoreProvider implements SecretStoreProvider {

    @Override
    public String type() {
        return SopsStore.TYPE;
    }

    @Override
    public Set<String> settingKeys() {
        return Set.of("file", "ageKeyFile");
    }

    @Override
    public SecretStore create(StoreDefinition definition, StoreContext context) {
        String file = definition.requiredString("file");
        String ageKeyFile = definition.string("ageKeyFile");
        Path keyFile = ageKeyFile == null || ageKeyFile.isBlank() ? null : context.resolve(expandHome(ageKeyFile,
                context));
        return new SopsStore(definition.id(), context.resolve(expandHome(file, context)), keyFile, file, context);
    }

    /** {@code ~/x} means {@code $HOME/x}, as in a shell. */
    private static String expandHome(String path, StoreContext context) {
        String home = context.env("HOME");
        if (home != null && (path.equals("~") || path.startsWith("~/"))) {
            return home + path.substring(1);
        }
        return path;
    }
}
