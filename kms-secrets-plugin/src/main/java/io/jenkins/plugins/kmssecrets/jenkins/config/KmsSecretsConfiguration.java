package io.jenkins.plugins.kmssecrets.jenkins.config;

import hudson.BulkChange;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.Util;
import hudson.model.ItemGroup;
import hudson.util.FormValidation;
import io.jenkins.plugins.kmssecrets.credentials.TagFilter;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import io.jenkins.plugins.kmssecrets.store.cache.CachingSecretStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jenkins.model.GlobalConfiguration;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * Manage Jenkins › System › KMS Secrets, and {@code unclassified: kmsSecrets:} in JCasC: the stores, how long a
 * store's secret list is cached, and which secrets become credentials. Each setter saves (JCasC applies the
 * configuration through them); a web form save is validated before anything changes.
 */
@Extension
@Symbol("kmsSecrets")
public final class KmsSecretsConfiguration extends GlobalConfiguration {

    /** The cache TTL when none is configured. */
    public static final String DEFAULT_CACHE_TTL = "5m";

    private List<KmsStoreConfig> stores = new ArrayList<>();
    private String cacheTtl;
    private String tagFilter;

    private transient ConfiguredStores runtime;
    private transient volatile long generation;

    /** The singleton, loaded from disk. */
    public KmsSecretsConfiguration() {
        load();
    }

    /** A detached instance that a form is bound into and validated before it replaces the live configuration. */
    private KmsSecretsConfiguration(List<KmsStoreConfig> stores) {
        this.stores = new ArrayList<>(stores);
    }

    /** The singleton. */
    public static KmsSecretsConfiguration get() {
        return ExtensionList.lookupSingleton(KmsSecretsConfiguration.class);
    }

    public List<KmsStoreConfig> getStores() {
        return stores == null ? List.of() : List.copyOf(stores);
    }

    @DataBoundSetter
    public void setStores(List<KmsStoreConfig> stores) {
        this.stores = stores == null ? new ArrayList<>() : new ArrayList<>(stores);
        changed();
        save();
    }

    /** The configured TTL text, or {@code null} for the default ({@value #DEFAULT_CACHE_TTL}). */
    public String getCacheTtl() {
        return cacheTtl;
    }

    @DataBoundSetter
    public void setCacheTtl(String cacheTtl) {
        this.cacheTtl = Util.fixEmptyAndTrim(cacheTtl);
        changed();
        save();
    }

    /** The credentials filter text ({@code key=value, key, !key}), or {@code null} to offer every secret. */
    public String getTagFilter() {
        return tagFilter;
    }

    @DataBoundSetter
    public void setTagFilter(String tagFilter) {
        this.tagFilter = Util.fixEmptyAndTrim(tagFilter);
        changed();
        save();
    }

    /** The TTL in effect; a malformed or non-positive value falls back to the default. */
    public Duration effectiveCacheTtl() {
        Duration parsed = cacheTtl == null ? null : StoreDefinition.parseDuration(cacheTtl);
        return parsed == null || parsed.isZero() || parsed.isNegative() ? CachingSecretStore.DEFAULT_TTL : parsed;
    }

    /** The live stores of the current configuration, built on first use. */
    public synchronized ConfiguredStores runtime() {
        if (runtime == null) {
            runtime = new ConfiguredStores(getStores(), effectiveCacheTtl(), tagFilter);
        }
        return runtime;
    }

    /**
     * The stores a job in {@code group} may use: those of the enclosing folders (nearest first) shadowing the global
     * ones of the same id. For {@code null}, Jenkins itself or anything outside a folder with stores: the global ones.
     */
    public static ConfiguredStores runtimeFor(ItemGroup<?> group) {
        ConfiguredStores global = get().runtime();
        if (group == null || !FolderScopes.available()) {
            return global;
        }
        List<ConfiguredStores> layers = FolderScopes.enclosing(group);
        if (layers.isEmpty()) {
            return global;
        }
        layers.add(global);
        return ConfiguredStores.layered(layers);
    }

    /**
     * The stores of one scope: a folder's full name as given by {@link ConfiguredStores#scopeOf}, or {@code null} for
     * the global configuration.
     *
     * @throws MisconfiguredException when the folder no longer exists or has no stores
     */
    public static ConfiguredStores runtimeOfScope(String scope) {
        if (scope == null) {
            return get().runtime();
        }
        ConfiguredStores stores = FolderScopes.available() ? FolderScopes.ofFolder(scope) : null;
        if (stores == null) {
            throw new MisconfiguredException(null, null, "folder '" + scope + "' no longer has KMS Secrets stores");
        }
        return stores;
    }

    /**
     * The own stores of a folder ({@code object} is a folder with a KMS Secrets property), or {@code null} for anything
     * else. The folder's credentials page shows these.
     */
    public static ConfiguredStores folderRuntime(Object object) {
        return object == null || !FolderScopes.available() ? null : FolderScopes.own(object);
    }

    /** Increases whenever the configuration changes (folder stores rebuild with the new cache settings). */
    long generation() {
        return generation;
    }

    private synchronized void changed() {
        generation++;
        if (runtime != null) {
            runtime.close();
            runtime = null;
        }
    }

    /**
     * Binds the form into a detached instance (fields left out of the form are reset there), validates it, and only
     * then takes over its fields and saves. A refused form changes neither the live configuration nor the file.
     */
    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        KmsSecretsConfiguration candidate = new KmsSecretsConfiguration(List.of());
        // The candidate's setters save; inside a bulk change that is never committed they do not write anything.
        BulkChange unsaved = new BulkChange(candidate);
        try {
            req.bindJSON(candidate, json);
        } finally {
            unsaved.abort();
        }
        candidate.validate();
        synchronized (this) {
            this.stores = new ArrayList<>(candidate.getStores());
            this.cacheTtl = candidate.cacheTtl;
            this.tagFilter = candidate.tagFilter;
        }
        changed();
        save();
        return true;
    }

    /** What a form save must not accept: a store id used twice (references would be ambiguous). */
    private void validate() throws FormException {
        Set<String> seen = new HashSet<>();
        for (KmsStoreConfig store : getStores()) {
            if (!seen.add(store.getId())) {
                throw new FormException(Messages.KmsSecretsConfiguration_duplicateId(store.getId()), "stores");
            }
        }
    }

    public FormValidation doCheckCacheTtl(@QueryParameter String value) {
        String text = Util.fixEmptyAndTrim(value);
        if (text == null) {
            return FormValidation.ok();
        }
        Duration parsed = StoreDefinition.parseDuration(text);
        if (parsed == null || parsed.isZero() || parsed.isNegative()) {
            return FormValidation.error(Messages.KmsSecretsConfiguration_badTtl());
        }
        return FormValidation.ok();
    }

    public FormValidation doCheckTagFilter(@QueryParameter String value) {
        try {
            TagFilter.parse(value);
            return FormValidation.ok();
        } catch (InvalidInputException e) {
            return FormValidation.error(e.getMessage());
        }
    }
}
