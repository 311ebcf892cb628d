package io.jenkins.plugins.kmssecrets.jenkins.steps;

import hudson.model.Run;
import java.io.IOException;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jenkins.model.RunAction2;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/**
 * Which secrets a build used: variable, store, secret name, version and time, for every {@code withKmsSecrets}
 * block. Shown on the build page and in the REST API ({@code /api/json?tree=actions[secrets[*]]}). It holds names
 * only; no value is ever recorded.
 */
@ExportedBean
public class KmsSecretsAction implements RunAction2 {

    private final List<Entry> secrets = new CopyOnWriteArrayList<>();
    private transient Run<?, ?> run;

    /** Adds {@code entries} to the build's action (creating it on first use) and saves the build. */
    static void record(Run<?, ?> run, Collection<Entry> entries) throws IOException {
        synchronized (run) {
            KmsSecretsAction action = run.getAction(KmsSecretsAction.class);
            if (action == null) {
                action = new KmsSecretsAction();
                run.addAction(action);
            }
            action.secrets.addAll(entries);
        }
        run.save();
    }

    /** Every secret the build used, in the order the blocks fetched them. */
    @Exported(name = "secrets", inline = true)
    public List<Entry> getSecrets() {
        return new ArrayList<>(secrets);
    }

    /** The build, for the page. */
    public Run<?, ?> getRun() {
        return run;
    }

    @Override
    public String getIconFileName() {
        return "symbol-key";
    }

    @Override
    public String getDisplayName() {
        return Messages.KmsSecretsAction_displayName();
    }

    @Override
    public String getUrlName() {
        return "kms-secrets";
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
    }

    /** One secret fetched for one variable. */
    @ExportedBean(defaultVisibility = 2)
    public static final class Entry implements Serializable {

        private static final long serialVersionUID = 1L;

        private final String variable;
        private final String storeId;
        private final String secretName;
        private final String version;
        private final long fetchedAt;

        Entry(String variable, String storeId, String secretName, String version, Instant fetchedAt) {
            this.variable = variable;
            this.storeId = storeId;
            this.secretName = secretName;
            this.version = version;
            this.fetchedAt = fetchedAt.toEpochMilli();
        }

        /** The environment variable the value was injected as. */
        @Exported
        public String getVariable() {
            return variable;
        }

        @Exported
        public String getStore() {
            return storeId;
        }

        @Exported
        public String getName() {
            return secretName;
        }

        /** The version fetched (pinned, or the current one as the store described it), or {@code null}. */
        @Exported
        public String getVersion() {
            return version;
        }

        /** When the value was fetched, ISO-8601 UTC. */
        @Exported
        public String getFetchedAt() {
            return Instant.ofEpochMilli(fetchedAt).toString();
        }
    }
}
