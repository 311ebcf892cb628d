package io.jenkins.plugins.kmssecrets.doctor;

import io.jenkins.plugins.kmssecrets.manifest.Manifest;
import io.jenkins.plugins.kmssecrets.manifest.ManifestEnvironment;
import io.jenkins.plugins.kmssecrets.store.AccessDeniedException;
import io.jenkins.plugins.kmssecrets.store.AccessVerification;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import io.jenkins.plugins.kmssecrets.store.SignInFailedException;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import io.jenkins.plugins.kmssecrets.store.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code kms-secrets doctor}: for every store of a manifest (in its selected environment), how it would sign in and
 * where that credential comes from, whether it answers a value-free call ({@link SecretStore#verifyAccess()}: a
 * listing, and for SOPS the unwrapping of the file's data key; never a value), and the command that fixes what is
 * missing. A store whose sign-in is missing is not asked, so no default chain falls through to a metadata endpoint on
 * a laptop.
 *
 * @since 0.2.0
 */
public final class StoreDoctor {

    private final StoreTypes types;
    private final StoreContext context;
    private final SignInInspector inspector;

    /**
     * @param types   the store types to build stores with
     * @param context the environment and base directory stores are built with (the manifest's directory)
     * @param timeout how long a sign-in tool ({@code az}) may take to answer
     */
    public StoreDoctor(StoreTypes types, StoreContext context, Duration timeout) {
        this.types = types;
        this.context = context;
        this.inspector = new SignInInspector(context, timeout);
    }

    /** One diagnosis per store id of {@code manifest}, sorted by id; stores set to {@code none} included. */
    public List<StoreDiagnosis> diagnose(Manifest manifest) {
        ManifestEnvironment environment = manifest.environment();
        Map<String, StoreDiagnosis> byId = new TreeMap<>();
        for (StoreDefinition store : manifest.stores()) {
            String origin = environment != null && environment.stores().containsKey(store.id())
                    ? "environment " + environment.name() : "base";
            byId.put(store.id(), diagnose(store, origin));
        }
        if (environment != null) {
            for (String id : environment.unavailable().keySet()) {
                byId.put(id, new StoreDiagnosis(id, "none", "none in environment " + environment.name(), null,
                        StoreDiagnosis.Answer.NONE, "the environment sets this store to none", null));
            }
        }
        return new ArrayList<>(byId.values());
    }

    /** The diagnosis of one store definition. */
    public StoreDiagnosis diagnose(StoreDefinition definition, String origin) {
        SignInFinding signIn = inspector.inspect(definition);
        if (!signIn.found()) {
            return new StoreDiagnosis(definition.id(), definition.type(), origin, signIn,
                    StoreDiagnosis.Answer.NOT_TRIED, "not asked: the sign-in is missing", signIn.fix());
        }
        try (SecretStore store = types.create(definition, context)) {
            AccessVerification verified = store.verifyAccess();
            return new StoreDiagnosis(definition.id(), definition.type(), origin, signIn, StoreDiagnosis.Answer.YES,
                    verified.summary(), null);
        } catch (SecretStoreException e) {
            return new StoreDiagnosis(definition.id(), definition.type(), origin, signIn, StoreDiagnosis.Answer.NO,
                    oneLine(e.detail()), fix(definition, signIn, e));
        }
    }

    /** The sign-in's own fix when the store rejected the credential; otherwise what the message says to do. */
    private static String fix(StoreDefinition definition, SignInFinding signIn, SecretStoreException e) {
        String login = switch (definition.type()) {
            case "azure-key-vault" -> "az login";
            case "google-secret-manager" -> "gcloud auth application-default login";
            case "vault" -> "vault login";
            default -> null;
        };
        if (e instanceof SignInFailedException && login != null) {
            return login;
        }
        if (e instanceof AccessDeniedException) {
            return login == null ? "ask for access to the store" : "ask for read/list access for the signed-in "
                    + "identity, or " + login + " as another one";
        }
        if ("sops".equals(definition.type()) && e instanceof io.jenkins.plugins.kmssecrets.store.MisconfiguredException) {
            String file = definition.string("file", "FILE");
            return "someone who can decrypt " + file + " runs: sops -r -i --add-age <your age1... public key> " + file;
        }
        if (e instanceof StoreUnavailableException) {
            return "check the store's address and your network (VPN), then run kms-secrets doctor again";
        }
        return "see the message; fix the store's settings in the manifest";
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").trim();
    }
}
