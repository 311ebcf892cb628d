package io.jenkins.plugins.kmssecrets.jenkins.monitor;

import hudson.Extension;
import hudson.model.AdministrativeMonitor;
import io.jenkins.plugins.kmssecrets.jenkins.config.ConfiguredStores;
import io.jenkins.plugins.kmssecrets.jenkins.config.KmsSecretsConfiguration;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells administrators when a store cannot be built, has never answered, or serves a stale (last-known-good) list
 * because its refreshes fail. Shows store ids and the engine's one-line errors, never values. Only stores already in
 * use are judged: the monitor itself never contacts a backend.
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
