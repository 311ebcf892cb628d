package io.jenkins.plugins.kmssecrets.jenkins.config;

import hudson.Extension;
import hudson.Util;
import hudson.model.Describable;
import io.jenkins.plugins.kmssecrets.store.StoreDefinitionBuilder;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * How a Google Secret Manager store signs in: Google's default chain, a credentials JSON from a Jenkins credential
 * (passed in memory), a credentials file on the controller, or the Application Default Credentials file only. Each
 * mode has exactly its fields.
 */
public abstract class GoogleSignIn implements Describable<GoogleSignIn> {

    /** The modes' order on the form. */
    static final List<Class<? extends GoogleSignIn>> ORDER = List.of(DefaultChain.class, CredentialJson.class,
            CredentialsFile.class, AdcFile.class);

    protected GoogleSignIn() {
    }

    /** Adds the mode's non-secret settings. */
    void settings(StoreDefinitionBuilder builder) {
    }

    /** Resolves the mode's Jenkins credential (or the controller variables it reads) into the store's environment. */
    void environment(String storeId, StoreDefinitionBuilder builder, Map<String, String> environment) {
    }

    @Override
    public GoogleSignInDescriptor getDescriptor() {
        return (GoogleSignInDescriptor) Jenkins.get().getDescriptorOrDie(getClass());
    }

    /** Names only. */
    @Override
    public String toString() {
        return getClass().getSimpleName();
    }

    /** The mode the flat attributes of earlier releases ({@code credentialsId}, {@code credentialsFile}) describe. */
    static GoogleSignIn fromFlat(String credentialsId, String credentialsFile) {
        if (credentialsId != null) {
            return new CredentialJson(credentialsId);
        }
        return credentialsFile != null ? new CredentialsFile(credentialsFile) : new DefaultChain();
    }

    /** Descriptor of every Google sign-in mode; "Test connection" tests the Secret Manager store being edited. */
    public abstract static class GoogleSignInDescriptor extends SignInDescriptor<GoogleSignIn> {

        @Override
        protected KmsStoreConfig candidate(StaplerRequest2 req, JSONObject form, GoogleSignIn signIn) {
            GoogleSecretManagerStoreConfig store = req.bindJSON(GoogleSecretManagerStoreConfig.class, form);
            store.setSignIn(signIn);
            return store;
        }
    }

    /**
     * Google's Application Default Credentials chain on the controller ({@code GOOGLE_APPLICATION_CREDENTIALS}, the
     * gcloud file, the metadata server of GCE/GKE); the engine's {@code auth: default} with no credentials setting.
     */
    public static final class DefaultChain extends GoogleSignIn {

        @DataBoundConstructor
        public DefaultChain() {
        }

        @Extension
        @Symbol("defaultChain")
        public static final class DescriptorImpl extends GoogleSignInDescriptor {
            @Override
            public String getDisplayName() {
                return Messages.GoogleSignIn_defaultChain();
            }
        }
    }

    /**
     * A service-account key or workload identity federation configuration (JSON) in a Jenkins "secret file" or
     * "secret text" credential, handed to the store in memory ({@code credentialsJsonEnv}); never written to a file.
     */
    public static final class CredentialJson extends GoogleSignIn {

        private final String credentialsId;

        @DataBoundConstructor
        public CredentialJson(String credentialsId) {
            this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
        }

        public String getCredentialsId() {
            return credentialsId;
        }

        @Override
        void environment(String storeId, StoreDefinitionBuilder builder, Map<String, String> environment) {
            if (credentialsId == null) {
                return;
            }
            environment.put(GoogleSecretManagerStoreConfig.CREDENTIALS_JSON_ENV,
                    StoreAuthentication.secretText(storeId, credentialsId));
            builder.set(GoogleSecretManagerStoreConfig.CREDENTIALS_JSON_ENV_SETTING,
                    GoogleSecretManagerStoreConfig.CREDENTIALS_JSON_ENV);
        }

        @Extension
        @Symbol("credentialJson")
        public static final class DescriptorImpl extends GoogleSignInDescriptor {
            @Override
            public String getDisplayName() {
                return Messages.GoogleSignIn_credentialJson();
            }
        }
    }

    /** A credentials JSON file on the controller (the engine's {@code credentialsFile}). */
    public static final class CredentialsFile extends GoogleSignIn {

        private final String credentialsFile;

        @DataBoundConstructor
        public CredentialsFile(String credentialsFile) {
            this.credentialsFile = Util.fixEmptyAndTrim(credentialsFile);
        }

        /** The file's path on the controller; relative paths resolve against JENKINS_HOME. */
        public String getCredentialsFile() {
            return credentialsFile;
        }

        @Override
        void settings(StoreDefinitionBuilder builder) {
            builder.set("credentialsFile", credentialsFile);
        }

        @Extension
        @Symbol("credentialsFile")
        public static final class DescriptorImpl extends GoogleSignInDescriptor {
            @Override
            public String getDisplayName() {
                return Messages.GoogleSignIn_credentialsFile();
            }
        }
    }

    /**
     * Only the Application Default Credentials file (the engine's {@code auth: adc}): the one
     * {@code GOOGLE_APPLICATION_CREDENTIALS} names, else gcloud's in the controller's home; never the metadata server.
     */
    public static final class AdcFile extends GoogleSignIn {

        @DataBoundConstructor
        public AdcFile() {
        }

        @Override
        void settings(StoreDefinitionBuilder builder) {
            builder.set("auth", "adc");
        }

        @Override
        void environment(String storeId, StoreDefinitionBuilder builder, Map<String, String> environment) {
            AzureSignIn.passThrough(environment, "GOOGLE_APPLICATION_CREDENTIALS", "CLOUDSDK_CONFIG", "HOME",
                    "APPDATA");
        }

        @Extension
        @Symbol("adcFile")
        public static final class DescriptorImpl extends GoogleSignInDescriptor {
            @Override
            public String getDisplayName() {
                return Messages.GoogleSignIn_adcFile();
            }
        }
    }
}
