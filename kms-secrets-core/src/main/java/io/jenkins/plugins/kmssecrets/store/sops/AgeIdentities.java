package io.jenkins.plugins.kmssecrets.store.sops;

import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The age X25519 identities ({@code AGE-SECRET-KEY-1…}) a store may use, looked up like sops does. With the store's
 * {@code ageKeyFile} setting only that file is read; otherwise every one of these that is set is read, in order:
 * {@code SOPS_AGE_KEY} (one or more identities, one per line), the file {@code SOPS_AGE_KEY_FILE} names, and sops'
 * default file {@code $XDG_CONFIG_HOME/sops/age/keys.txt} (or {@code $HOME/.config/sops/age/keys.txt}, or
 * {@code %AppData%\sops\age\keys.txt}) when it exists. Environment variables come from the {@link StoreContext}.
 *
 * <p>Identities are held as character arrays and overwritten by {@link #close()}. Messages name where an identity
 * came from, never its content.
 */
final class AgeIdentities implements AutoCloseable {

    private static final String PREFIX = "AGE-SECRET-KEY-1";
    private static final long MAX_KEY_FILE_BYTES = 64 * 1024;

    /** One identity and where it was found ({@code SOPS_AGE_KEY_FILE /path line 3}). */
    record Identity(char[] key, String source) {

        @Override
        public String toString() {
            return "Identity[" + source + "]";
        }

        @Override
        public boolean equals(Object other) {
            return this == other;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    private final List<Identity> identities;
    private final String searched;

    private AgeIdentities(List<Identity> identities, String searched) {
        this.identities = identities;
        this.searched = searched;
    }

    List<Identity> identities() {
        return identities;
    }

    /** Where the lookup looked, for messages. */
    String searched() {
        return searched;
    }

    /**
     * Finds the identities.
     *
     * @param ageKeyFile the store's {@code ageKeyFile} setting, resolved, or {@code null}
     * @param secretName the secret being fetched, for messages
     * @throws MisconfiguredException when none is found (saying where it looked) or a source is unreadable or holds
     *                                something that is not an age identity
     */
    static AgeIdentities find(StoreContext context, Path ageKeyFile, String storeId, String secretName) {
        return find(context, ageKeyFile, storeId, secretName, new ArrayList<>());
    }

    /**
     * {@link #find(StoreContext, Path, String, String)} collecting into {@code found}. When any source fails, every
     * identity already collected from an earlier source is overwritten before the error is thrown: no
     * {@code AgeIdentities} exists then, so {@link #close()} would never run for them.
     */
    static AgeIdentities find(StoreContext context, Path ageKeyFile, String storeId, String secretName,
                              List<Identity> found) {
        try {
            return collect(context, ageKeyFile, storeId, secretName, found);
        } catch (RuntimeException | Error e) {
            for (Identity identity : found) {
                Arrays.fill(identity.key(), '\0');
            }
            throw e;
        }
    }

    private static AgeIdentities collect(StoreContext context, Path ageKeyFile, String storeId, String secretName,
                                         List<Identity> found) {
        List<String> looked = new ArrayList<>();
        if (ageKeyFile != null) {
            looked.add("setting ageKeyFile (" + ageKeyFile + ")");
            readFile(ageKeyFile, "ageKeyFile " + ageKeyFile, true, storeId, secretName, found);
        } else {
            String inline = context.env("SOPS_AGE_KEY");
            looked.add("SOPS_AGE_KEY" + (inline == null || inline.isBlank() ? " (not set)" : ""));
            if (inline != null && !inline.isBlank()) {
                char[] chars = inline.toCharArray();
                try {
                    parse(chars, "SOPS_AGE_KEY", storeId, secretName, found);
                } finally {
                    Arrays.fill(chars, '\0');
                }
            }
            String keyFile = context.env("SOPS_AGE_KEY_FILE");
            if (keyFile != null && !keyFile.isBlank()) {
                Path path = context.resolve(keyFile);
                looked.add("SOPS_AGE_KEY_FILE (" + path + ")");
                readFile(path, "SOPS_AGE_KEY_FILE " + path, true, storeId, secretName, found);
            } else {
                looked.add("SOPS_AGE_KEY_FILE (not set)");
            }
            Path standard = defaultKeyFile(context);
            if (standard != null) {
                looked.add(standard.toString());
                readFile(standard, standard.toString(), false, storeId, secretName, found);
            }
        }
        String searched = String.join(", ", looked);
        if (found.isEmpty()) {
            throw new MisconfiguredException(storeId, secretName, "no age identity found; looked in " + searched
                    + ". Set SOPS_AGE_KEY_FILE to your age key file or set the store's ageKeyFile");
        }
        return new AgeIdentities(List.copyOf(found), searched);
    }

    /** sops' default key file: {@code os.UserConfigDir()/sops/age/keys.txt}. */
    static Path defaultKeyFile(StoreContext context) {
        String xdg = context.env("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "sops", "age", "keys.txt");
        }
        String home = context.env("HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home, ".config", "sops", "age", "keys.txt");
        }
        String appData = context.env("AppData");
        if (appData == null) {
            appData = context.env("APPDATA");
        }
        return appData == null || appData.isBlank() ? null : Path.of(appData, "sops", "age", "keys.txt");
    }

    private static void readFile(Path path, String source, boolean required, String storeId, String secretName,
                                 List<Identity> out) {
        byte[] bytes = null;
        char[] chars = null;
        try {
            if (!Files.exists(path)) {
                if (required) {
                    throw new MisconfiguredException(storeId, secretName, "age key file " + path + " does not exist");
                }
                return;
            }
            if (Files.size(path) > MAX_KEY_FILE_BYTES) {
                throw new MisconfiguredException(storeId, secretName, "age key file " + path + " is larger than "
                        + MAX_KEY_FILE_BYTES + " bytes; it is not an age identity file");
            }
            try (InputStream in = Files.newInputStream(path)) {
                bytes = in.readNBytes((int) MAX_KEY_FILE_BYTES);
            }
            CharBuffer decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            chars = new char[decoded.remaining()];
            decoded.get(chars);
            Arrays.fill(decoded.array(), '\0');
            parse(chars, source, storeId, secretName, out);
        } catch (NoSuchFileException e) {
            if (required) {
                throw new MisconfiguredException(storeId, secretName, "age key file " + path + " does not exist");
            }
        } catch (CharacterCodingException e) {
            throw new MisconfiguredException(storeId, secretName, "age key file " + path + " is not UTF-8 text");
        } catch (IOException e) {
            throw new MisconfiguredException(storeId, secretName, "cannot read age key file " + path + " ("
                    + e.getClass().getSimpleName() + ")");
        } finally {
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
            }
            if (chars != null) {
                Arrays.fill(chars, '\0');
            }
        }
    }

    /** Lines that are blank or start with {@code #} are skipped; every other line must be one identity. */
    static void parse(char[] text, String source, String storeId, String secretName, List<Identity> out) {
        int lineNumber = 0;
        int start = 0;
        while (start <= text.length) {
            int end = start;
            while (end < text.length && text[end] != '\n') {
                end++;
            }
            lineNumber++;
            int from = start;
            int to = end;
            while (from < to && Character.isWhitespace(text[from])) {
                from++;
            }
            while (to > from && Character.isWhitespace(text[to - 1])) {
                to--;
            }
            if (to > from && text[from] != '#') {
                if (!startsWith(text, from, to, PREFIX)) {
                    throw new MisconfiguredException(storeId, secretName, source + " line " + lineNumber
                            + " is not an age X25519 identity (AGE-SECRET-KEY-1...); plugin and SSH identities "
                            + "are not supported");
                }
                out.add(new Identity(Arrays.copyOfRange(text, from, to), source + " line " + lineNumber));
            }
            start = end + 1;
        }
    }

    private static boolean startsWith(char[] text, int from, int to, String prefix) {
        if (to - from < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (text[from + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Overwrites every identity. */
    @Override
    public void close() {
        for (Identity identity : identities) {
            Arrays.fill(identity.key(), '\0');
        }
    }

    @Override
    public String toString() {
        return "AgeIdentities[" + identities.size() + " from " + searched + "]";
    }
}
