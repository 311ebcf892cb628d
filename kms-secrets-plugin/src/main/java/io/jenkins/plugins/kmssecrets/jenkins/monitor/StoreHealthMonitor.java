package io.jenkins.plugins.kmssecrets.jenkins.monitor;

import hudson.Extension;
import hudson.model.AdministrativeMonitor;
import io.jenkins.plugins.kmssecrets.jenkins.config.ConfiguredStores;
import io.jenkins.plugins.kmssecrets.jenkins.config.KmsSecretsConfiguration;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.Jenkins;

/**
 * Tells administrators when a store cannot be built, was never listed (its first listing failed), or serves a stale
 * (last-known-good) list because its refreshes fail. Shows store ids and the engine's one-line errors, never values.
 * Only stores already in use are judged: the monitor itself never contacts a backend. Dismissing it
 * ({@code POST disable}, administrators only) hides it until it is enabled again under Manage Jenkins › System.
 */
@Extension
public class StoreHealthMonitor extends AdministrativeMonitor {

    @Override
    public boolean isActivated() {
        return !getProblems().isEmpty();
    }

    @Override
    public String getDisplayName() {
        return Messages.StoreHealthMonitor_displayName();
    }

    /**
     * Whether this Jenkins has core's {@code <l:adminMonitor>} layout (2.558 and later); the view uses it there and
     * the classic alert with a dismiss form on older versions, which the plugin's baseline still includes.
     */
    public boolean isAdminMonitorLayoutAvailable() {
        return Jenkins.class.getResource("/lib/layout/adminMonitor.jelly") != null;
    }

    /** One line per failing store or configuration problem. */
    public List<String> getProblems() {
        ConfiguredStores stores = KmsSecretsConfiguration.get().runtime();
        List<String> problems = new ArrayList<>(stores.problems());
        for (ConfiguredStores.StoreHealth health : stores.health()) {
            if (health.failing()) {
                problems.add(Messages.StoreHealthMonitor_failing(health.id(), health.type(), health.summary()));
            }
        }
        return problems;
    }
}
