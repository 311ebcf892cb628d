package io.jenkins.plugins.kmssecrets.jenkins.config;

import hudson.Extension;
import hudson.Util;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import io.jenkins.plugins.kmssecrets.store.StoreDefinitionBuilder;
import java.util.List;
import java.util.Map;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * A Google Secret Manager project. How it signs in is a {@link GoogleSignIn} mode: Application Default Credentials
 * of the controller (workload identity, a metadata server), a Jenkins "secret file" credential holding a
 * service-account key or workload identity federation configuration, a credentials file on the controller, or the
 * Application Default Credentials file only.
 */
public class GoogleSecretManagerStoreConfig extends KmsStoreConfig {

    /** The environment variable the credentials JSON is handed to the store in. */
    static final String CREDENTIALS_JSON_ENV = "KMS_SECRETS_GOOGLE_CREDENTIALS_JSON";
    /** The core setting naming that variable (see {@link #authentication}). */
    static final String CREDENTIALS_JSON_ENV_SETTING = "credentialsJsonEnv";

    private final String project;
    private String location;
    private String filter;
    private GoogleSignIn signIn;
    private String endpoint;
    private String caCertFile;

    /** Before sign-in modes were nested: read from old {@code config.xml} files and old JCasC, never written. */
    @Deprecated
    private transient String credentialsId;
    @Deprecated
    private transient String credentialsFile;

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

    /** How the store signs in; never {@code null} (default: Google's default chain). */
    public GoogleSignIn getSignIn() {
        return signIn == null ? new GoogleSignIn.DefaultChain() : signIn;
    }

    @DataBoundSetter
    public void setSignIn(GoogleSignIn signIn) {
        this.signIn = signIn;
    }

    /** Converts a {@code config.xml} written before sign-in modes were nested. */
    protected Object readResolve() {
        if (signIn == null && (credentialsId != null || credentialsFile != null)) {
            signIn = GoogleSignIn.fromFlat(credentialsId, credentialsFile);
        }
        credentialsId = credentialsFile = null;
        return this;
    }

    /**
     * Deprecated flat attribute of earlier releases (JCasC {@code credentialsId}); use {@link #setSignIn}. The getters
     * of the flat attributes answer {@code null} so that exports show only {@code signIn}. Not annotated
     * {@code @Deprecated}: JCasC refuses attributes so annotated by default, and existing {@code jenkins.yaml} files
     * must keep applying.
     */
    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
        signIn = GoogleSignIn.fromFlat(this.credentialsId, credentialsFile);
    }

    /** Always {@code null}: see {@link #getSignIn()}. */
    @Deprecated
    public String getCredentialsId() {
        return null;
    }

    /** Deprecated flat attribute (JCasC {@code credentialsFile}); see {@link #setCredentialsId}. */
    @DataBoundSetter
    public void setCredentialsFile(String credentialsFile) {
        this.credentialsFile = Util.fixEmptyAndTrim(credentialsFile);
        signIn = GoogleSignIn.fromFlat(credentialsId, this.credentialsFile);
    }

    /** Always {@code null}: see {@link #getSignIn()}. */
    @Deprecated
    public String getCredentialsFile() {
        return null;
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
                .set("endpoint", endpoint)
                .set("caCertFile", caCertFile);
        getSignIn().settings(builder);
    }

    /**
     * A credential's JSON is passed in memory, through the store context's environment (the engine's
     * {@code credentialsJsonEnv} setting); it is never written to a file.
     */
    @Override
    protected void authentication(StoreDefinitionBuilder builder, Map<String, String> environment) {
        getSignIn().environment(getId(), builder, environment);
    }

    @Extension
    @Symbol("googleSecretManager")
    public static class DescriptorImpl extends KmsStoreDescriptor {

        @Override
        public String getDisplayName() {
            return Messages.GoogleSecretManagerStoreConfig_displayName();
        }

        /** The sign-in modes, in the form's order. */
        public List<Descriptor<GoogleSignIn>> getSignInDescriptors() {
            return SignInDescriptor.ordered(GoogleSignIn.class, GoogleSignIn.ORDER);
        }

        public FormValidation doCheckProject(@QueryParameter String value) {
            return Util.fixEmptyAndTrim(value) == null
                    ? FormValidation.error(Messages.GoogleSecretManagerStoreConfig_projectRequired())
                    : FormValidation.ok();
        }
    }
}
