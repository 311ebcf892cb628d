package io.jenkins.plugins.kmssecrets.jenkins.steps;

import hudson.Extension;
import hudson.Util;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import io.jenkins.plugins.kmssecrets.manifest.EnvironmentNames;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import java.io.Serializable;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;

/**
 * One inline binding of {@code withKmsSecrets(secrets: [[env: 'DB_PASSWORD', ref: 'akv-prod:netbox-db-password']])}:
 * a variable name and a reference. Both are names, never values.
 */
public final class KmsSecretVariable implements Describable<KmsSecretVariable>, Serializable {

    private static final long serialVersionUID = 1L;

    private final String env;
    private final String ref;

    @DataBoundConstructor
    public KmsSecretVariable(String env, String ref) {
        this.env = Util.fixEmptyAndTrim(env);
        this.ref = Util.fixEmptyAndTrim(ref);
    }

    public String getEnv() {
        return env;
    }

    public String getRef() {
        return ref;
    }

    /** Declared here: {@code Describable#getDescriptor()} has a default only from Jenkins 2.505. */
    @Override
    public DescriptorImpl getDescriptor() {
        return (DescriptorImpl) Jenkins.get().getDescriptorOrDie(getClass());
    }

    @Override
    public String toString() {
        return env + "=" + ref;
    }

    @Extension
    @Symbol("kmsSecret")
    public static class DescriptorImpl extends Descriptor<KmsSecretVariable> {

        @Override
        public String getDisplayName() {
            return Messages.KmsSecretVariable_displayName();
        }

        /** The engine's rule: a portable name that the build and the shell do not depend on ({@code PATH}...). */
        public FormValidation doCheckEnv(@QueryParameter String value) {
            String name = Util.fixEmptyAndTrim(value);
            if (name == null) {
                return FormValidation.error(Messages.KmsSecretVariable_badEnv());
            }
            String problem = EnvironmentNames.problem(name);
            return problem == null ? FormValidation.ok() : FormValidation.error(problem);
        }

        public FormValidation doCheckRef(@QueryParameter String value) {
            try {
                SecretReference.parse(Util.fixEmptyAndTrim(value));
                return FormValidation.ok();
            } catch (InvalidInputException e) {
                return FormValidation.error(e.getMessage());
            }
        }
    }
}
