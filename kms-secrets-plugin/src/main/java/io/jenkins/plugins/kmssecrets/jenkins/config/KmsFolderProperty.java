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
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
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
import org.kohsuke.stapler.Stapler;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * A folder's own stores (folder › Configure › KMS Secrets; {@code properties: - kmsSecrets: stores: ...} in Job
 * DSL). Their secrets are credentials of the folder: jobs in the folder and its sub-folders see them, no other job
 * and no global lookup does. In {@code withKmsSecrets} and {@code kmsSmokeTest} a store id resolves in the nearest
 * folder that configures it, then outer folders, then the global configuration. The cache TTL and the credentials tag
 * filter are the global configuration's.
 *
 * <p>Changing a folder's stores needs {@link Jenkins#ADMINISTER}: a store signs in with the controller's identity or a
 * credential, and the folder's jobs then read whatever that identity can read. Two ways in are guarded:
 * <ul>
 * <li>the folder's form: {@link DescriptorImpl#newInstance} refuses the save;</li>
 * <li>XML ({@code POST config.xml}, {@code createItem} with a body, copying a folder, CLI {@code update-job}): Jenkins
 * unmarshals the XML into the live folder and then writes it back to disk, with no hook that could veto it. So
 * {@link #readResolve()}, which runs during that unmarshal in the caller's thread and authentication, marks the
 * property <em>unapproved</em> ({@link #getUnapprovedChangeBy()}, persisted) when a user without Administer supplies
 * stores that differ from the folder's current, approved ones (or any stores for a new item). An unapproved property
 * never builds a runtime: {@link #runtime()} fails with a one-line error naming the folder and saying an
 * administrator must save its stores, so the user's stores are never used, now or after a restart.</li>
 * </ul>
 * A non-administrator's XML that keeps the stores (e.g. a new description) keeps their approval, and never approves
 * marked ones. XML unmarshalled with Administer (start-up and <em>Reload Configuration from Disk</em> as
 * {@code SYSTEM}, an item reload, Job DSL, the script console, an administrator's {@code config.xml} POST) is taken as
 * it is: without the mark (Job DSL, hand-written XML) the stores are approved; with it (the file Jenkins wrote from
 * memory after the non-administrator's change, or an administrator posting back a fetched {@code config.xml}
 * unreviewed) they stay unapproved. An administrator approves by saving the folder's form, or by posting XML without
 * the mark; the form, JCasC-style setters and the script console build properties without it.
 *
 * <p>Why not refuse the POST: Jenkins unmarshals into the live folder before any listener runs, its robust
 * converters drop (rather than propagate) a property whose {@code readResolve} throws, and the result is written to
 * disk from memory, so a refusal could only make the stores vanish silently, and an item whose in-memory state was
 * half-updated. Marking is sound (the mark is set in the request thread from the caller's authentication, not from
 * the XML, and persists with the stores), and cannot lock administrators out (the form always approves).
 */
public final class KmsFolderProperty extends AbstractFolderProperty<AbstractFolder<?>> {

    private List<KmsStoreConfig> stores = new ArrayList<>();

    /** Who supplied these stores without Administer (XML), or {@code null} when an administrator approved them. */
    private String unapprovedChangeBy;

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
     * The user who last changed these stores through XML without Administer, or {@code null} when they are approved.
     * Such stores are never used until an administrator saves the folder.
     */
    public String getUnapprovedChangeBy() {
        return unapprovedChangeBy;
    }

    /**
     * Runs during every unmarshal of the property (see the class comment). A caller with Administer (an administrator,
     * {@code SYSTEM}: start-up, reload, Job DSL) and an unmarshal outside Jenkins keep the XML as it is, mark included.
     * Any other caller's stores are approved only when they equal the approved stores the folder of the current
     * request holds now; otherwise they are marked with the caller's name.
     */
    protected Object readResolve() {
        if (stores == null) {
            stores = new ArrayList<>();
        }
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        if (jenkins == null || jenkins.hasPermission(Jenkins.ADMINISTER)) {
            return this;
        }
        StaplerRequest2 req = Stapler.getCurrentRequest2();
        AbstractFolder<?> folder = req == null ? null : req.findAncestorObject(AbstractFolder.class);
        KmsFolderProperty current = folder == null ? null : folder.getProperties().get(KmsFolderProperty.class);
        if (current == this) {
            current = null;
        }
        if (current != null && sameStores(current.getStores(), getStores())) {
            unapprovedChangeBy = current.unapprovedChangeBy;
        } else if (!getStores().isEmpty()) {
            unapprovedChangeBy = Jenkins.getAuthentication2().getName();
        }
        return this;
    }

    private static boolean sameStores(List<KmsStoreConfig> a, List<KmsStoreConfig> b) {
        return Jenkins.XSTREAM2.toXML(a).equals(Jenkins.XSTREAM2.toXML(b));
    }

    /**
     * This folder's live stores, built on first use and rebuilt when the global cache settings change or the folder
     * is renamed or moved.
     *
     * @throws MisconfiguredException when the stores were changed without Administer and await an administrator
     */
    public synchronized ConfiguredStores runtime() {
        KmsSecretsConfiguration global = KmsSecretsConfiguration.get();
        AbstractFolder<?> folder = getOwner();
        String fullName = folder == null ? "" : folder.getFullName();
        if (unapprovedChangeBy != null) {
            reset();
            throw new MisconfiguredException(null, null, "folder '" + fullName + "': its KMS Secrets stores were "
                    + "changed by '" + unapprovedChangeBy + "', who is not a Jenkins administrator; they are not used "
                    + "until an administrator saves them (folder > Configure > Save)");
        }
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
            if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                if (!sameStores(before, property.getStores())) {
                    throw new FormException(Messages.KmsFolderProperty_adminOnly(), "stores");
                }
                // Saving unchanged, unapproved stores does not approve them: only an administrator's save does.
                property.unapprovedChangeBy = current == null ? null : current.unapprovedChangeBy;
            }
            return property.getStores().isEmpty() ? null : property;
        }
    }
}
