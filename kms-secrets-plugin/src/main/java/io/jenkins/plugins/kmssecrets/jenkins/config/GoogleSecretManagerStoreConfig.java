package io.jenkins.plugins.kmssecrets.jenkins.config;

import hudson.Extension;
import hudson.Util;
import hudson.util.FormValidation;
import io.jenkins.plugins.kmssecrets.store.StoreDefinitionBuilder;
import java.util.Map;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A Google Secret Manager project. Authentication: Application Default Credentials of the controller (workload
 * identity, a metadata server), a credentials file on the controller, or a Jenkins "secret file" credential holding a
 * service-account key or workload identity federation configuration.
 */
public class GoogleSecretManagerStoreConfig extends KmsStoreConfig {

    /** The environment variable the credentials JSON is handed to the store in. */
    static final String CREDENTIALS_JSON_ENV = "KMS_SECRETS_GOOGLE_CREDENTIALS_JSON";
    /** The core setting naming that variable (see {@link #authentication}). */
    static final String CREDENTIALS_JSON_ENV_SETTING = "credentialsJsonEnv";

    private final String project;
    private String location;
    private String filter;
    private String credentialsId;
    private String credentialsFile;
    private String endpoint;
    private String caCertFile;

    @DataBoundConstructor
    public GoogleSecretManagerStoreConfig(String id, String project) {
        super(id);
        this.project = Util.fixEmptyAndTrim(project);
    }

    public String getProject() {
        return project;
    }

    public String getLocation() {
        return location;
    }

    @DataBoundSetter
    public void setLocation(String location) {
        this.location = Util.fixEmptyAndTrim(location);
    }

    public String getFilter() {
        return filter;
    }

    @DataBoundSetter
    public void setFilter(String filter) {
        this.filter = Util.fixEmptyAndTrim(filter);
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    public String getCredentialsFile() {
        return credentialsFile;
    }

    @DataBoundSetter
    public void setCredentialsFile(String credentialsFile) {
        this.credentialsFile = Util.fixEmptyAndTrim(credentialsFile);
    }

    /** The Secret Manager API endpoint ({@code host:port}); {@code null} for Google's (or the location's). */
    public String getEndpoint() {
        return endpoint;
    }

    @DataBoundSetter
    public void setEndpoint(String endpoint) {
        this.endpoint = Util.fixEmptyAndTrim(endpoint);
    }

    public String getCaCertFile() {
        return caCertFile;
    }

    /** A PEM file on the controller with the CA certificate(s) trusted instead of the JVM trust store. */
    @DataBoundSetter
    public void setCaCertFile(String caCertFile) {
        this.caCertFile = Util.fixEmptyAndTrim(caCertFile);
    }

    @Override
    public String storeType() {
        return "google-secret-manager";
    }

    @Override
    protected boolean usesHttp() {
        return true;
    }

    @Override
    protected void settings(StoreDefinitionBuilder builder) {
        builder.set("project", project)
                .set("location", location)
                .set("filter", filter)
                .set("credentialsFile", credentialsFile)
                .set("endpoint", endpoint)
                .set("caCertFile", caCertFile);
    }

    /**
     * A credential's JSON is passed in memory, through the store context's environment (the engine's
     * {@code credentialsJsonEnv} setting); it is never written to a file.
     */
    @Override
    protected void authentication(StoreDefinitionBuilder builder, Map<String, String> environment) {
        if (credentialsId == null) {
            return;
        }
        environment.put(CREDENTIALS_JSON_ENV, StoreAuthentication.secretText(getId(), credentialsId));
        builder.set(CREDENTIALS_JSON_ENV_SETTING, CREDENTIALS_JSON_ENV);
    }

    @Extension
    @Symbol("googleSecretManager")
    public static class DescriptorImpl extends KmsStoreDescriptor {

        @Override
        public String getDisplayName() {
            return Messages.GoogleSecretManagerStoreConfig_displayName();
        }

        public FormValidation doCheckProject(@QueryParameter String value) {
            return Util.fixEmptyAndTrim(value) == null
                    ? FormValidation.error(Messages.GoogleSecretManagerStoreConfig_projectRequired())
                    : FormValidation.ok();
        }

        /** Lists secret metadata ({@code secretmanager.secrets.list}); never accesses a version. */
        @POST
        public FormValidation doTestConnection(@QueryParameter String id, @QueryParameter String project,
                @QueryParameter String location, @QueryParameter String filter,
                @QueryParameter String credentialsId, @QueryParameter String credentialsFile,
                @QueryParameter String endpoint, @QueryParameter String caCertFile,
                @QueryParameter boolean directConnection) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            GoogleSecretManagerStoreConfig candidate = new GoogleSecretManagerStoreConfig(id, project);
            candidate.setLocation(location);
            candidate.setFilter(filter);
            candidate.setCredentialsId(credentialsId);
            candidate.setCredentialsFile(credentialsFile);
            candidate.setEndpoint(endpoint);
            candidate.setCaCertFile(caCertFile);
            candidate.setDirectConnection(directConnection);
            return testConnection(candidate);
        }
    }
}
