package io.jenkins.plugins.kmssecrets.jenkins.config;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.model.ItemGroup;
import hudson.security.ACL;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * Reads the Jenkins credentials that authenticate the plugin to its stores (a client secret, an age key, a Vault
 * token), on the controller, as {@link ACL#SYSTEM2}. Values go straight into the store's
 * {@link io.jenkins.plugins.kmssecrets.store.StoreContext} environment and are never logged or persisted.
 *
 * <p>While a lookup runs, {@link #isResolving()} is true on that thread and the kms-secrets credentials provider
 * answers nothing: store credentials must come from another provider, and the lookup must not recurse into building
 * the very store it authenticates.
 */
public final class StoreAuthentication {

    private static final ThreadLocal<Boolean> RESOLVING = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private static final ThreadLocal<ItemGroup<?>> CONTEXT = new ThreadLocal<>();

    private StoreAuthentication() {
    }

    /** Whether the current thread is looking up store credentials (the kms provider must then stay silent). */
    public static boolean isResolving() {
        return RESOLVING.get();
    }

    /** Runs {@code body} with the kms-secrets provider silenced on this thread. */
    public static <T> T resolving(Supplier<T> body) {
        boolean outer = RESOLVING.get();
        RESOLVING.set(Boolean.TRUE);
        try {
            return body.get();
        } finally {
            RESOLVING.set(outer);
        }
    }

    /**
     * Runs {@code body} with credentials looked up in {@code context} (a folder's store: the credentials its items
     * may use, never the root's SYSTEM-scoped ones); {@code null} means Jenkins.
     */
    static <T> T in(ItemGroup<?> context, Supplier<T> body) {
        ItemGroup<?> outer = CONTEXT.get();
        CONTEXT.set(context);
        try {
            return body.get();
        } finally {
            CONTEXT.set(outer);
        }
    }

    /**
     * The secret of a "secret text" credential, or the content (UTF-8) of a "secret file" credential, or the
     * password of a "username with password" credential.
     *
     * @throws MisconfiguredException naming the store and the credential id when it is missing or of another type
     */
    public static String secretText(String storeId, String credentialsId) {
        StandardCredentials credentials = find(storeId, credentialsId);
        if (credentials instanceof StringCredentials text) {
            return text.getSecret().getPlainText();
        }
        if (credentials instanceof FileCredentials file) {
            try (InputStream in = file.getContent()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new MisconfiguredException(storeId, null, "cannot read the secret file of credential '"
                        + credentialsId + "'");
            }
        }
        if (credentials instanceof StandardUsernamePasswordCredentials password) {
            return password.getPassword().getPlainText();
        }
        throw new MisconfiguredException(storeId, null, "credential '" + credentialsId + "' must be secret text, a "
                + "secret file or a username with password");
    }

    /**
     * A "username with password" credential.
     *
     * @throws MisconfiguredException naming the store and the credential id when it is missing or of another type
     */
    public static StandardUsernamePasswordCredentials usernamePassword(String storeId, String credentialsId) {
        StandardCredentials credentials = find(storeId, credentialsId);
        if (credentials instanceof StandardUsernamePasswordCredentials password) {
            return password;
        }
        throw new MisconfiguredException(storeId, null, "credential '" + credentialsId + "' must be a username with "
                + "password");
    }

    private static StandardCredentials find(String storeId, String credentialsId) {
        ItemGroup<?> context = CONTEXT.get();
        StandardCredentials found = resolving(() -> {
            List<StandardCredentials> all = CredentialsProvider.lookupCredentialsInItemGroup(
                    StandardCredentials.class, context == null ? Jenkins.get() : context, ACL.SYSTEM2,
                    Collections.emptyList());
            return CredentialsMatchers.firstOrNull(all, CredentialsMatchers.withId(credentialsId));
        });
        if (found == null) {
            throw new MisconfiguredException(storeId, null, "credential '" + credentialsId + "' was not found in the "
                    + (context == null ? "Jenkins root credentials"
                            : "credentials of folder " + context.getFullName()));
        }
        return found;
    }
}
