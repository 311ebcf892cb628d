package io.jenkins.plugins.kmssecrets.jenkins.config;

import hudson.model.ItemGroup;
import io.jenkins.plugins.kmssecrets.credentials.TagFilter;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreSet;
import io.jenkins.plugins.kmssecrets.store.cache.CacheStatus;
import io.jenkins.plugins.kmssecrets.store.cache.CachingSecretStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live stores of one configuration: each built on first use, wrapped in the engine's last-known-good cache, and
 * kept until the configuration changes. A store that cannot be built (a missing credential, a bad setting) does not
 * affect the others; its error is kept for the administrative monitor and retried on the next use.
 */
public final class ConfiguredStores implements AutoCloseable {

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final Duration ttl;
    private final TagFilter tagFilter;
    private volatile Reload lastReload;
    /** {@code null} for a layered view, which owns no store. */
    private final ExecutorService refreshThreads;
    /** The full name of the folder whose stores these are, or {@code null} for the global configuration. */
    private final String scope;
    /** Where the stores' own sign-in credentials are looked up (the folder, or Jenkins). */
    private final ItemGroup<?> credentialsContext;

    ConfiguredStores(List<KmsStoreConfig> configs, Duration ttl, String tagFilterText) {
        this(configs, ttl, tagFilterText, null, null);
    }

    /**
     * The stores of one scope.
     *
     * @param scope              the folder's full name, or {@code null} for the global configuration
     * @param credentialsContext where the stores' sign-in credentials are looked up; {@code null} for Jenkins
     */
    ConfiguredStores(List<KmsStoreConfig> configs, Duration ttl, String tagFilterText, String scope,
            ItemGroup<?> credentialsContext) {
        this.ttl = ttl;
        this.scope = scope;
        this.credentialsContext = credentialsContext;
        TagFilter filter;
        try {
            filter = TagFilter.parse(tagFilterText);
        } catch (SecretStoreException e) {
            // Fail closed: a filter that cannot be read must not widen what is offered.
            problems.add(e.getMessage() + "; no secret is offered as a credential until it is fixed");
            filter = null;
        }
        this.tagFilter = filter;
        for (KmsStoreConfig config : configs) {
            if (entries.putIfAbsent(config.getId(), new Entry(config)) != null) {
                problems.add("store id '" + config.getId() + "' is configured more than once; the first is used");
            }
        }
        AtomicInteger count = new AtomicInteger();
        this.refreshThreads = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "kms-secrets cache refresh " + count.incrementAndGet());
            thread.setDaemon(true);
            thread.setContextClassLoader(ConfiguredStores.class.getClassLoader());
            return thread;
        });
    }

    /**
     * Stores outside any configuration (the JCasC secret source's stores of {@code jenkins.yaml}): default cache TTL,
     * no credentials filter, sign-in credentials from Jenkins. The caller closes them.
     */
    public static ConfiguredStores standalone(List<KmsStoreConfig> configs) {
        return new ConfiguredStores(configs, CachingSecretStore.DEFAULT_TTL, null);
    }

    /**
     * A view of several scopes' stores, nearest first: a store id resolves to the first scope that configures it, so a
     * folder's store shadows an outer folder's or the global store of the same id. The view owns nothing (closing it
     * closes no store); its credentials filter is the last (global) scope's.
     */
    static ConfiguredStores layered(List<ConfiguredStores> nearestFirst) {
        return new ConfiguredStores(nearestFirst);
    }

    private ConfiguredStores(List<ConfiguredStores> nearestFirst) {
        ConfiguredStores global = nearestFirst.get(nearestFirst.size() - 1);
        this.ttl = global.ttl;
        this.tagFilter = global.tagFilter;
        this.refreshThreads = null;
        this.scope = nearestFirst.get(0).scope;
        this.credentialsContext = null;
        for (ConfiguredStores layer : nearestFirst) {
            layer.entries.forEach(entries::putIfAbsent);
        }
    }

    /**
     * The scope that configures store {@code id}: a folder's full name, or {@code null} for the global configuration
     * (also when no scope configures it).
     */
    public String scopeOf(String id) {
        Entry entry = entries.get(id);
        return entry == null ? null : entry.scope();
    }

    /** Store ids in configuration order. */
    public List<String> ids() {
        return new ArrayList<>(entries.keySet());
    }

    /** The credential id prefix store {@code id} sets, or {@code null} for the default {@code <id>.}. */
    public String credentialIdPrefix(String id) {
        Entry entry = entries.get(id);
        return entry == null ? null : entry.config.getCredentialIdPrefix();
    }

    /**
     * Whether store {@code id} lets the {@code kmsRotate} step write new versions
     * ({@link KmsStoreConfig#isAllowRotation}); {@code false} when no scope configures it. In a layered view the store
     * the id resolves to (the nearest scope's) decides.
     */
    public boolean allowsRotation(String id) {
        Entry entry = entries.get(id);
        return entry != null && entry.config.isAllowRotation();
    }

    /** The credentials filter, or {@code null} when the configured filter is malformed (then nothing is offered). */
    public TagFilter tagFilter() {
        return tagFilter;
    }

    /**
     * The cached store with this id, built on first use.
     *
     * @throws MisconfiguredException when there is no such store or it cannot be built
     */
    public CachingSecretStore store(String id) {
        Entry entry = entries.get(id);
        if (entry == null) {
            throw new MisconfiguredException(id, null, "no store with this id is configured in Jenkins; configured "
                    + "stores: " + (entries.isEmpty() ? "(none)" : String.join(", ", entries.keySet())));
        }
        return entry.store();
    }

    /**
     * The store's (cached) listing. Errors are recorded for the monitor and rethrown; after one successful listing,
     * an outage serves the last-known-good list instead, and before it a failed first listing is not retried by
     * every lookup but after the cache's back-off (the engine cache's contract).
     */
    public List<SecretMetadata> list(String id) {
        Entry entry = entries.get(id);
        if (entry == null) {
            return List.of();
        }
        CachingSecretStore store = entry.store();
        try {
            List<SecretMetadata> listed = PluginClassLoaderScope.call(store::list);
            entry.listError = null;
            return listed;
        } catch (SecretStoreException e) {
            entry.listError = e.getMessage();
            throw e;
        }
    }

    /** The referenced value, read from the backend (values are never cached). */
    public SecretValue fetch(SecretReference reference) {
        CachingSecretStore store = store(reference.storeId());
        return PluginClassLoaderScope.call(() -> store.fetch(reference));
    }

    /**
     * The stores with these ids as a {@link StoreSet} for the engine's resolver and check. Closing the set does not
     * close the shared stores.
     *
     * @throws MisconfiguredException when one of them is not configured or cannot be built
     */
    public StoreSet storeSet(Collection<String> ids) {
        List<SecretStore> stores = new ArrayList<>();
        for (String id : ids) {
            stores.add(new Borrowed(store(id)));
        }
        return StoreSet.of(stores.toArray(new SecretStore[0]));
    }

    /** One line per store for the administrative monitor and the store page: names and counts, never values. */
    public List<StoreHealth> health() {
        List<StoreHealth> health = new ArrayList<>();
        for (Entry entry : entries.values()) {
            health.add(entry.health());
        }
        return health;
    }

    /**
     * Lists every store again now (the Reload button): builds a store that could not be built, then fetches its list
     * on this thread, replacing the cached one. A failure keeps the last-known-good list (an outage never empties the
     * credentials) and is reported. The results are kept for the store page.
     *
     * @return one line per store, names and counts only
     */
    public List<StoreHealth> reload() {
        List<StoreHealth> results = new ArrayList<>();
        for (Entry entry : entries.values()) {
            String id = entry.config.getId();
            try {
                CachingSecretStore store = entry.store();
                PluginClassLoaderScope.call(() -> {
                    store.refreshNow();
                    return null;
                });
                CacheStatus status = store.status();
                entry.listError = status.fetchedAt() == null ? status.lastError() : null;
                results.add(new StoreHealth(id, entry.config.storeType(), status.lastError() != null,
                        status.summary()));
            } catch (SecretStoreException e) {
                results.add(new StoreHealth(id, entry.config.storeType(), true, e.getMessage()));
            }
        }
        lastReload = new Reload(java.time.Instant.now(), List.copyOf(results));
        return results;
    }

    /** The outcome of the last {@link #reload()}, or {@code null}. */
    public Reload lastReload() {
        return lastReload;
    }

    /**
     * What the last reload found.
     *
     * @param at      when it ran
     * @param results one line per store
     */
    public record Reload(java.time.Instant at, List<StoreHealth> results) {
    }

    /** Configuration-wide problems (duplicate ids, a malformed filter). */
    public List<String> problems() {
        return Collections.unmodifiableList(problems);
    }

    /** Stops background refreshes and closes every built store. */
    @Override
    public void close() {
        if (refreshThreads == null) {
            return; // a view: the scopes own the stores
        }
        refreshThreads.shutdownNow();
        for (Entry entry : entries.values()) {
            entry.close();
        }
    }

    /**
     * The state of one store.
     *
     * @param id      store id
     * @param type    store type
     * @param failing whether the store cannot be built, its first listing failed, or it serves a stale list
     * @param summary one line: {@code not used yet}, {@code never listed (error)}, counts and age (with {@code stale}
     *                and the error when refreshes fail), or why the store cannot be built; the engine's messages never
     *                hold a value
     */
    public record StoreHealth(String id, String type, boolean failing, String summary) {
    }

    private final class Entry {
        private final KmsStoreConfig config;
        private CachingSecretStore store;
        private volatile String buildError;
        private volatile String listError;

        Entry(KmsStoreConfig config) {
            this.config = config;
        }

        String scope() {
            return scope;
        }

        synchronized CachingSecretStore store() {
            if (store == null) {
                try {
                    store = new CachingSecretStore(config.createStore(credentialsContext), ttl, Clock.systemUTC(),
                            refreshThreads);
                    buildError = null;
                } catch (SecretStoreException e) {
                    buildError = e.getMessage();
                    throw e;
                } catch (RuntimeException e) {
                    // Not the engine's error: its message may quote anything, so keep the type only.
                    buildError = "store '" + config.getId() + "' cannot be built: " + e.getClass().getSimpleName();
                    throw new MisconfiguredException(config.getId(), null, "cannot be built: "
                            + e.getClass().getSimpleName());
                }
            }
            return store;
        }

        StoreHealth health() {
            String build = buildError;
            if (build != null) {
                return new StoreHealth(config.getId(), config.storeType(), true, build);
            }
            CachingSecretStore built;
            synchronized (this) {
                built = store;
            }
            if (built == null) {
                return new StoreHealth(config.getId(), config.storeType(), false, "not used yet");
            }
            String list = listError;
            CacheStatus status = built.status();
            if (status.fetchedAt() == null) {
                // Built, but no listing has succeeded since the configuration was loaded: worded like the engine's
                // CacheStatus ("never listed (error)"), also when the error was recorded here before the cache had one.
                String error = list != null ? list : status.lastError();
                return new StoreHealth(config.getId(), config.storeType(), error != null,
                        error == null ? status.summary() : "never listed (" + error + ")");
            }
            return new StoreHealth(config.getId(), config.storeType(), status.stale() && status.lastError() != null,
                    status.summary());
        }

        synchronized void close() {
            if (store != null) {
                store.close();
                store = null;
            }
        }
    }

    /** A shared store lent to a {@link StoreSet}: everything is delegated except {@link #close()}. */
    private record Borrowed(SecretStore delegate) implements SecretStore {

        @Override
        public String id() {
            return delegate.id();
        }

        @Override
        public String type() {
            return delegate.type();
        }

        @Override
        public List<SecretMetadata> list() {
            return delegate.list();
        }

        @Override
        public SecretMetadata describe(SecretReference reference) {
            return delegate.describe(reference);
        }

        @Override
        public List<SecretMetadata> versions(String name) {
            return delegate.versions(name);
        }

        @Override
        public SecretValue fetch(SecretReference reference) {
            return delegate.fetch(reference);
        }

        @Override
        public void close() {
            // borrowed: the configuration owns the store
        }
    }
}
