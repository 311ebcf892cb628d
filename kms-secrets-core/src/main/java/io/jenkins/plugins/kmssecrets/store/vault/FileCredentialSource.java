package io.jenkins.plugins.kmssecrets.store.vault;

import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A login input read from a file each time it is needed (so rotation of the file is picked up). */
record FileCredentialSource(String what, Path file) implements VaultAuth.CredentialSource {

    @Override
    public String description() {
        return what + " file " + file;
    }

    @Override
    public String read(String storeId) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (text.isEmpty()) {
                throw new MisconfiguredException(storeId, null, description() + " is empty");
            }
            return text;
        } catch (IOException e) {
            throw new MisconfiguredException(storeId, null, "cannot read " + description() + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
