package io.jenkins.plugins.kmssecrets.jenkins.config;

import com.cloudbees.hudson.plugins.folder.AbstractFolder;
import com.cloudbees.hudson.plugins.folder.AbstractFolderProperty;
import com.cloudbees.hudson.plugins.folder.AbstractFolderPropertyDescriptor;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.XmlFile;
import hudson.model.Descriptor.FormException;
import hudson.model.Item;
import hudson.model.ItemGroup;
import hudson.model.Saveable;
import hudson.model.listeners.ItemListener;
import hudson.model.listeners.SaveableListener;
import hudson.security.ACL;
import hudson.security.ACLContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.variant.OptionalExtension;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * A folder's own stores (folder › Configure › KMS Secrets; {@code properties: - kmsSecrets: stores: ...} in Job
 * DSL). Their secrets are credentials of the folder: jobs in the folder and its sub-folders see them, no other job
 * and no global lookup does. In {@code withKmsSecrets} and {@code kmsSmokeTest} a store id resolves in the nearest
 * folder that configures it, then outer folders, then the global configuration. The cache TTL and the credentials tag
 * filter are the global configuration's.
 *
 * <p>Changing a folder's stores needs {@link Jenkins#ADMINISTER}: a store signs in with the controller's identity or a
 * credential, and the folder's jobs then read whatever that identity can read.
 */
public final class KmsFolderProperty extends AbstractFolderProperty<AbstractFolder<?>> {

    private List<KmsStoreConfig> stores = new ArrayList<>();

    /**
     * Properties whose runtime is built. A folder's configuration save, a {@code config.xml} POST or a reload replaces
     * the property object, so the old one is never told; {@link #closeDetached()} closes the runtimes of those no
     * longer attached to a live folder (their refresh threads and clients), as the global configuration closes its
     * replaced stores.
     */
    private static final Set<KmsFolderProperty> BUILT = ConcurrentHashMap.newKeySet();

    private transient ConfiguredStores runtime;
    private transient long runtimeGeneration;
    private transient String runtimeScope;

    @DataBoundConstructor
    public KmsFolderProperty() {
    }

    public List<KmsStoreConfig> getStores() {
        return stores == null ? List.of() : List.copyOf(stores);
    }

    @DataBoundSetter
    public void setStores(List<KmsStoreConfig> stores) {
        this.stores = stores == null ? new ArrayList<>() : new ArrayList<>(stores);
        reset();
    }

    /**
     * This folder's live stores, built on first use and rebuilt when the global cache settings change or the folder
     * is renamed or moved.
     */
    public synchronized ConfiguredStores runtime() {
        KmsSecretsConfiguration global = KmsSecretsConfiguration.get();
        AbstractFolder<?> folder = getOwner();
        String fullName = folder == null ? "" : folder.getFullName();
        if (runtime == null || runtimeGeneration != global.generation() || !fullName.equals(runtimeScope)) {
            reset();
            runtime = new ConfiguredStores(getStores(), global.effectiveCacheTtl(), global.getTagFilter(), fullName,
                    folder);
            runtimeGeneration = global.generation();
            runtimeScope = fullName;
            BUILT.add(this);
        }
        return runtime;
    }

    private synchronized void reset() {
        if (runtime != null) {
            runtime.close();
            runtime = null;
        }
        BUILT.remove(this);
    }

    /** Whether this property is still the one its folder holds, and the folder is still in Jenkins. */
    @SuppressWarnings("try") // the ACL context is what the body needs, not a variable
    private boolean attached() {
        AbstractFolder<?> folder = getOwner();
        if (folder == null || folder.getProperties().get(KmsFolderProperty.class) != this) {
            return false;
        }
        Item current;
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            current = Jenkins.get().getItemByFullName(folder.getFullName());
        }
        return current == folder;
    }

    /**
     * Closes the runtime of every property that was replaced (a configuration save, a {@code config.xml} POST, Job
     * DSL, a reload) or whose folder was deleted.
     *
     * @return how many runtimes were closed
     */
    static int closeDetached() {
        int closed = 0;
        for (KmsFolderProperty property : List.copyOf(BUILT)) {
            if (!property.attached()) {
                property.reset();
                closed++;
            }
        }
        return closed;
    }

    /** Closes the runtimes of the folder {@code fullName} and the folders inside it (it is being deleted). */
    static void closeWithin(String fullName) {
        for (KmsFolderProperty property : List.copyOf(BUILT)) {
            AbstractFolder<?> folder = property.getOwner();
            String name = folder == null ? null : folder.getFullName();
            if (name == null || name.equals(fullName) || name.startsWith(fullName + "/")) {
                property.reset();
            }
        }
    }

    /** How many folder runtimes are open (for tests and the end-to-end suite). */
    static int openRuntimes() {
        return BUILT.size();
    }

    /** Closes replaced folder runtimes when a folder is saved (form, {@code config.xml}, script). */
    @OptionalExtension(requirePlugins = "cloudbees-folder")
    public static final class FolderSaved extends SaveableListener {

        @Override
        public void onChange(Saveable saveable, XmlFile file) {
            if (saveable instanceof AbstractFolder<?>) {
                closeDetached();
            }
        }
    }

    /** Closes the runtimes of deleted folders, of updated ones, and of all replaced ones after a reload from disk. */
    @OptionalExtension(requirePlugins = "cloudbees-folder")
    public static final class FolderChanged extends ItemListener {

        /** Called before the item leaves its parent, so its folders still look attached: close them by name. */
        @Override
        public void onDeleted(Item item) {
            if (item instanceof ItemGroup<?>) {
                closeWithin(item.getFullName());
            }
        }

        @Override
        public void onUpdated(Item item) {
            if (item instanceof AbstractFolder<?>) {
                closeDetached();
            }
        }

        @Override
        public void onLoaded() {
            closeDetached();
        }
    }

    @OptionalExtension(requirePlugins = "cloudbees-folder")
    @Symbol("kmsSecrets")
    public static final class DescriptorImpl extends AbstractFolderPropertyDescriptor {

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.KmsFolderProperty_displayName();
        }

        /**
         * Binds the form; a store id used twice is refused, and only an administrator may change the stores (anyone
         * who may configure the folder may save it unchanged). An empty list removes the property.
         */
        @Override
        public AbstractFolderProperty<?> newInstance(StaplerRequest2 req, JSONObject formData) throws FormException {
            KmsFolderProperty property = (KmsFolderProperty) super.newInstance(req, formData);
            Set<String> seen = new HashSet<>();
            for (KmsStoreConfig store : property.getStores()) {
                if (!seen.add(store.getId())) {
                    throw new FormException(Messages.KmsSecretsConfiguration_duplicateId(store.getId()), "stores");
                }
            }
            AbstractFolder<?> folder = req == null ? null : req.findAncestorObject(AbstractFolder.class);
            KmsFolderProperty current = folder == null ? null : folder.getProperties().get(KmsFolderProperty.class);
            List<KmsStoreConfig> before = current == null ? List.of() : current.getStores();
            if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)
                    && !Jenkins.XSTREAM2.toXML(before).equals(Jenkins.XSTREAM2.toXML(property.getStores()))) {
                throw new FormException(Messages.KmsFolderProperty_adminOnly(), "stores");
            }
            return property.getStores().isEmpty() ? null : property;
        }
    }
}
