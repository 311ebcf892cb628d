package io.jenkins.plugins.kmssecrets.jenkins.config;

import hudson.Extension;
import hudson.Util;
import hudson.util.FormValidation;
import io.jenkins.plugins.kmssecrets.store.StoreDefinitionBuilder;
import java.util.Map;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * A SOPS (age) encrypted YAML or JSON file on the controller. The age identity is a Jenkins "secret text" or
 * "secret file" credential, handed to the store as {@code SOPS_AGE_KEY}, or a key file on the controller. The
 * controller's environment is not passed to the store, so one of the two is needed.
 */
public class SopsStoreConfig extends KmsStoreConfig {

    /** The environment variable the SOPS store reads identities from. */
    static final String AGE_KEY_ENV = "SOPS_AGE_KEY";

    private final String file;
    private String credentialsId;
    private String ageKeyFile;

    @DataBoundConstructor
    public SopsStoreConfig(String id, String file) {
        super(id);
        this.file = Util.fixEmptyAndTrim(file);
    }

    public String getFile() {
        return file;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    public String getAgeKeyFile() {
        return ageKeyFile;
    }

    @DataBoundSetter
    public void setAgeKeyFile(String ageKeyFile) {
        this.ageKeyFile = Util.fixEmptyAndTrim(ageKeyFile);
    }

    @Override
    public String storeType() {
        return "sops";
    }

    @Override
    protected void settings(StoreDefinitionBuilder builder) {
        builder.set("file", file).set("ageKeyFile", ageKeyFile);
    }

    @Override
    protected void authentication(StoreDefinitionBuilder builder, Map<String, String> environment) {
        if (credentialsId != null) {
            environment.put(AGE_KEY_ENV, StoreAuthentication.secretText(getId(), credentialsId));
        }
    }

    @Extension
    @Symbol("sops")
    public static class DescriptorImpl extends KmsStoreDescriptor {

        @Override
        public String getDisplayName() {
            return Messages.SopsStoreConfig_displayName();
        }

        public FormValidation doCheckFile(@QueryParameter String value) {
            return Util.fixEmptyAndTrim(value) == null ? FormValidation.error(Messages.SopsStoreConfig_fileRequired())
                    : FormValidation.ok();
        }
    }
}
