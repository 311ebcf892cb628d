package io.jenkins.plugins.kmssecrets.jenkins.config;

import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.model.ItemGroup;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.AccessVerification;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.StoreDefinitionBuilder;
import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import java.time.Clock;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * One configured store. Each store type has a subclass with its fields; authentication secrets are Jenkins
 * credential ids, resolved (as SYSTEM, on the controller) only when the store is built. Everything else about the
 * store (validation of settings, remote calls, errors) is the core engine's.
 */
public abstract class KmsStoreConfig implements Describable<KmsStoreConfig> {

    private final String id;
    private String credentialIdPrefix;
    private boolean directConnection;
    private boolean allowRotation;

    protected KmsStoreConfig(String id) {
        this.id = id == null ? "" : id.trim();
    }

    /**
     * What the ids of this store's credentials start with instead of {@code <id>.} (a secret's
     * {@code jenkins-credentials-id} tag is used as given); {@code null} for the default.
     */
    public String getCredentialIdPrefix() {
        return credentialIdPrefix;
    }

    @DataBoundSetter
    public void setCredentialIdPrefix(String credentialIdPrefix) {
        this.credentialIdPrefix = hudson.Util.fixEmptyAndTrim(credentialIdPrefix);
    }

    /** The store id used in references ({@code <id>:<name>}) and credential ids ({@code <id>.<name>}). */
    public String getId() {
        return id;
    }

    /**
     * The store type's descriptor. Declared here rather than inherited: {@code Describable#getDescriptor()} has a
     * default only from Jenkins 2.505, and the deprecated {@code AbstractDescribableImpl} is what older code used.
     */
    @Override
    public KmsStoreDescriptor getDescriptor() {
        return (KmsStoreDescriptor) Jenkins.get().getDescriptorOrDie(getClass());
    }

    /** The core store type, for example {@code azure-key-vault}. */
    public abstract String storeType();

    /** Whether the store talks HTTP, and so goes through Jenkins' proxy unless {@link #isDirectConnection()}. */
    protected boolean usesHttp() {
        return false;
    }

    /** Whether the store ignores Jenkins' proxy settings and connects directly. */
    public boolean isDirectConnection() {
        return directConnection;
    }

    /** Ignore Jenkins' proxy settings for this store (default: use them). */
    @DataBoundSetter
    public void setDirectConnection(boolean directConnection) {
        this.directConnection = directConnection;
    }

    /**
     * Whether the {@code kmsRotate} step may write new versions to this store ({@code apply: true} with
     * {@code generate}). Default {@code false}: the step may plan (dry run) against any store but writes only to
     * stores an administrator opted in (global stores, and a folder's stores, which only administrators may change);
     * the build must also run as SYSTEM.
     */
    public boolean isAllowRotation() {
        return allowRotation;
    }

    /** Lets {@code kmsRotate} write new versions to this store (default: it may not). */
    @DataBoundSetter
    public void setAllowRotation(boolean allowRotation) {
        this.allowRotation = allowRotation;
    }

    /** Adds this store's non-secret settings. */
    protected abstract void settings(StoreDefinitionBuilder builder);

    /**
     * Resolves the store's Jenkins credentials into {@code environment} (and points the settings at them). The
     * default has nothing to resolve.
     */
    protected void authentication(StoreDefinitionBuilder builder, Map<String, String> environment) {
    }

    /**
     * Builds the store on the controller. Cheap: the core stores connect on first use.
     *
     * @throws SecretStoreException (a {@code MisconfiguredException}) naming the setting or credential that is wrong
     */
    public SecretStore createStore() {
        return createStore(null);
    }

    /**
     * Builds the store on the controller, its sign-in credentials looked up in {@code credentialsContext} (a folder:
     * that folder's and its parents' credentials, and the global ones visible to its items; {@code null}: Jenkins).
     *
     * @throws SecretStoreException (a {@code MisconfiguredException}) naming the setting or credential that is wrong
     */
    public SecretStore createStore(ItemGroup<?> credentialsContext) {
        StoreDefinitionBuilder builder = StoreDefinitionBuilder.of(id, storeType());
        Map<String, String> environment = new HashMap<>();
        if (usesHttp() && !directConnection) {
            JenkinsProxy.apply(builder, environment);
        }
        settings(builder);
        StoreAuthentication.in(credentialsContext, () -> {
            authentication(builder, environment);
            return null;
        });
        // Relative paths (a SOPS file) resolve against JENKINS_HOME; no controller environment variable leaks in.
        StoreContext context = new StoreContext(environment, Jenkins.get().getRootDir().toPath(), Clock.systemUTC());
        return PluginClassLoaderScope.call(() -> StoreTypes.installed().create(builder.build(), context));
    }

    /** Names only. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + id + "]";
    }

    /** Shared form logic of every store type. */
    public abstract static class KmsStoreDescriptor extends Descriptor<KmsStoreConfig> {

        protected KmsStoreDescriptor() {
        }

        /** Checks the store id syntax; offline. */
        public FormValidation doCheckId(@QueryParameter String value) {
            if (value == null || value.isBlank()) {
                return FormValidation.error(Messages.KmsStoreConfig_idRequired());
            }
            if (!SecretReference.isValidStoreId(value.trim())) {
                return FormValidation.error(Messages.KmsStoreConfig_idInvalid());
            }
            return FormValidation.ok();
        }

        /** Checks the credential id prefix: characters Jenkins accepts in an id; offline. */
        public FormValidation doCheckCredentialIdPrefix(@QueryParameter String value) {
            String prefix = value == null ? "" : value.trim();
            return prefix.isEmpty() || io.jenkins.plugins.kmssecrets.credentials.CredentialIdScheme.isValidId(prefix)
                    ? FormValidation.ok() : FormValidation.error(Messages.KmsStoreConfig_prefixInvalid());
        }

        /**
         * Credentials the store may sign in with, in the form's context: the global configuration's (administrators)
         * or the folder's (those who may configure it); others see only the current value. See
         * {@link StoreCredentialChoices}.
         */
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return StoreCredentialChoices.of(item, credentialsId);
        }

        /**
         * The fields a "Test connection" button sent (form parameters, one value each) as a form object, so that
         * Stapler binds them like a form save: constructor parameters, {@code @DataBoundSetter}s (the deprecated flat
         * sign-in attributes included) and the type conversions.
         */
        static JSONObject submittedFields(StaplerRequest2 req) {
            JSONObject form = new JSONObject();
            for (String name : Collections.list(req.getParameterNames())) {
                form.put(name, req.getParameter(name));
            }
            return form;
        }

        /**
         * Tests a store from the fields of its form as they were before sign-in modes were nested (the flat
         * {@code auth}, {@code authMethod}, {@code credentialsId} ... parameters, read through the deprecated setters):
         * the store-level "Test connection" URL of earlier releases, kept for scripts. The form's button is the
         * sign-in mode's ({@link SignInDescriptor#doTestConnection}).
         */
        @POST
        public FormValidation doTestConnection(@AncestorInPath Item item, StaplerRequest2 req) {
            ItemGroup<?> context = checkConfigure(item);
            return testConnection(req.bindJSON(clazz, submittedFields(req)), context);
        }

        /**
         * The credentials context of a store form in {@code item}'s context, once the user is known to be allowed to
         * configure it: {@code null} (Jenkins) for the global configuration, which needs {@link Jenkins#ADMINISTER};
         * the folder for a folder's stores, which needs {@link Item#CONFIGURE} there (the same rule as
         * {@link StoreCredentialChoices}).
         */
        static ItemGroup<?> checkConfigure(Item item) {
            if (item == null) {
                Jenkins.get().checkPermission(Jenkins.ADMINISTER);
                return null;
            }
            item.checkPermission(Item.CONFIGURE);
            return item instanceof ItemGroup<?> group ? group : item.getParent();
        }

        /**
         * Builds {@code candidate} and proves it usable without reading a value: the engine's
         * {@link SecretStore#verifyAccess()} lists it (names and metadata) and, where the store can, checks more (a
         * SOPS store unwraps the file's data key with the age identity, so a wrong or missing key fails here). Its
         * sign-in credentials are looked up in {@code context} as the store's will be ({@link #checkConfigure}).
         * Callers are {@code @POST} form methods that have called {@link #checkConfigure}. Only the global stores'
         * results are kept for the store page (a folder's store may share a global store's id).
         */
        protected static FormValidation testConnection(KmsStoreConfig candidate, ItemGroup<?> context) {
            String message;
            boolean ok = false;
            try (SecretStore store = candidate.createStore(context)) {
                AccessVerification verified = PluginClassLoaderScope.call(store::verifyAccess);
                message = verified.detail() == null
                        ? Messages.KmsStoreConfig_connectedListed(verified.summary())
                        : Messages.KmsStoreConfig_connected(verified.summary());
                ok = true;
            } catch (SecretStoreException e) {
                message = e.getMessage();
            } catch (RuntimeException e) {
                // Not one of the engine's errors, so its message may quote anything: name the type only.
                message = Messages.KmsStoreConfig_failed(e.getClass().getSimpleName());
            }
            if (context == null) {
                // Kept for the store page (time and outcome; the messages never hold a value).
                ConnectionTests.record(candidate.getId(), ok, message);
            }
            return ok ? FormValidation.ok(message) : FormValidation.error(message);
        }
    }
}
