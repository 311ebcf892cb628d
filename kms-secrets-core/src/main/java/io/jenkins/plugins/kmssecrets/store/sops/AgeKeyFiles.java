package io.jenkins.plugins.kmssecrets.store.sops;

import io.jenkins.plugins.kmssecrets.store.StoreContext;
import java.nio.file.Path;

/**
 * Where a {@code sops} store looks for age identities when its {@code ageKeyFile} setting is absent, for tools that
 * explain the lookup (such as {@code kms-secrets doctor}) without reading a key.
 *
 * @since 0.2.0
 */
public final class AgeKeyFiles {

    private AgeKeyFiles() {
    }

    /**
     * sops' default key file for {@code context}: {@code $XDG_CONFIG_HOME/sops/age/keys.txt}, else
     * {@code $HOME/.config/sops/age/keys.txt}, else {@code %AppData%\sops\age\keys.txt}; {@code null} when none of
     * those variables is set.
     */
    public static Path sopsDefault(StoreContext context) {
        return AgeIdentities.defaultKeyFile(context);
    }

    /** {@code ageKeyFile} as the store resolves it ({@code ~/} is {@code $HOME/}), against the context's base. */
    public static Path resolve(String ageKeyFile, StoreContext context) {
        String home = context.env("HOME");
        String path = home != null && (ageKeyFile.equals("~") || ageKeyFile.startsWith("~/"))
                ? home + ageKeyFile.substring(1) : ageKeyFile;
        return context.resolve(path);
    }
}
