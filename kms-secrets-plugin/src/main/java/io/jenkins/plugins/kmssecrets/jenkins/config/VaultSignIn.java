package io.jenkins.plugins.kmssecrets.jenkins.config;

import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.Extension;
import hudson.Util;
import hudson.model.Describable;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.StoreDefinitionBuilder;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * How a HashiCorp Vault store signs in: one subclass per method of the engine's {@code auth} setting (token, AppRole,
 * Kubernetes), each with exactly its fields. Secrets come from Jenkins credentials and reach the store through its
 * private environment only.
 */
public abstract class VaultSignIn implements Describable<VaultSignIn> {

    /** The modes' order on the form. */
    static final List<Class<? extends VaultSignIn>> ORDER = List.of(Token.class, AppRole.class, Kubernetes.class);

    protected VaultSignIn() {
    }

    /** The engine's {@code auth} value. */
    public abstract String auth();

    /** Adds the mode's non-secret settings ({@code auth} and its own). */
    void settings(StoreDefinitionBuilder builder) {
        builder.set("auth", auth());
    }

    /** Resolves the mode's Jenkins credential into the store's environment. */
    void environment(String storeId, StoreDefinitionBuilder builder, Map<String, String> environment) {
    }

    @Override
    public VaultSignInDescriptor getDescriptor() {
        return (VaultSignInDescriptor) Jenkins.get().getDescriptorOrDie(getClass());
    }

    /** Names only. */
    @Override
    public String toString() {
        return getClass().getSimpleName();
    }

    /**
     * The mode the flat attributes of earlier releases ({@code authMethod}, {@code role}, {@code credentialsId})
     * describe.
     */
    static VaultSignIn fromFlat(String authMethod, String role, String credentialsId) {
        String method = Util.fixEmptyAndTrim(authMethod);
        return switch (method == null ? "token" : method) {
            case "approle" -> new AppRole(credentialsId);
            case "kubernetes" -> new Kubernetes(role);
            default -> new Token(credentialsId);
        };
    }

    /** Descriptor of every Vault sign-in mode; "Test connection" tests the Vault store being edited. */
    public abstract static class VaultSignInDescriptor extends SignInDescriptor<VaultSignIn> {

        @Override
        protected KmsStoreConfig candidate(StaplerRequest2 req, JSONObject form, VaultSignIn signIn) {
            VaultStoreConfig store = req.bindJSON(VaultStoreConfig.class, form);
            store.setSignIn(signIn);
            return store;
        }
    }

    /** A Vault token held in a Jenkins "secret text" credential (the engine's {@code auth: token}). */
    public static final class Token extends VaultSignIn {

        private final String credentialsId;

        @DataBoundConstructor
        public Token(String credentialsId) {
            this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
        }

        public String getCredentialsId() {
            return credentialsId;
        }

        @Override
        public String auth() {
            return "token";
        }

        @Override
        void environment(String storeId, StoreDefinitionBuilder builder, Map<String, String> environment) {
            if (credentialsId == null) {
                throw new MisconfiguredException(storeId, null, "a token credential is required when the sign-in "
                        + "mode is token");
            }
            environment.put(VaultStoreConfig.TOKEN_ENV, StoreAuthentication.secretText(storeId, credentialsId));
            builder.set("tokenEnv", VaultStoreConfig.TOKEN_ENV);
        }

        @Extension
        @Symbol("token")
        public static final class DescriptorImpl extends VaultSignInDescriptor {
            @Override
            public String getDisplayName() {
                return Messages.VaultStoreConfig_authToken();
            }
        }
    }

    /**
     * AppRole (the engine's {@code auth: approle}): the secret id from a Jenkins credential, the role id typed here or,
     * when left empty, the user name of a "username with password" credential (role id / secret id).
     */
    public static final class AppRole extends VaultSignIn {

        private final String credentialsId;
        private String roleId;
        private String authMount;

        @DataBoundConstructor
        public AppRole(String credentialsId) {
            this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
        }

        /** The secret id: secret text, or a username with password whose user name is the role id. */
        public String getCredentialsId() {
            return credentialsId;
        }

        /** The role id (not secret); {@code null}: the user name of the credential. */
        public String getRoleId() {
            return roleId;
        }

        @DataBoundSetter
        public void setRoleId(String roleId) {
            this.roleId = Util.fixEmptyAndTrim(roleId);
        }

        /** Where the AppRole method is mounted; {@code null}: {@code approle}. */
        public String getAuthMount() {
            return authMount;
        }

        @DataBoundSetter
        public void setAuthMount(String authMount) {
            this.authMount = Util.fixEmptyAndTrim(authMount);
        }

        @Override
        public String auth() {
            return "approle";
        }

        @Override
        void settings(StoreDefinitionBuilder builder) {
            super.settings(builder);
            builder.set("authMount", authMount);
        }

        @Override
        void environment(String storeId, StoreDefinitionBuilder builder, Map<String, String> environment) {
            if (credentialsId == null) {
                throw new MisconfiguredException(storeId, null, "a secret id credential is required when the sign-in "
                        + "mode is AppRole");
            }
            if (roleId != null) {
                builder.set("roleId", roleId);
                environment.put(VaultStoreConfig.SECRET_ID_ENV, StoreAuthentication.secretText(storeId, credentialsId));
            } else {
                StandardUsernamePasswordCredentials approle = StoreAuthentication.usernamePassword(storeId,
                        credentialsId);
                builder.set("roleId", approle.getUsername());
                environment.put(VaultStoreConfig.SECRET_ID_ENV, approle.getPassword().getPlainText());
            }
            builder.set("secretIdEnv", VaultStoreConfig.SECRET_ID_ENV);
        }

        @Extension
        @Symbol("appRole")
        public static final class DescriptorImpl extends VaultSignInDescriptor {
            @Override
            public String getDisplayName() {
                return Messages.VaultStoreConfig_authAppRole();
            }
        }
    }

    /**
     * Kubernetes (the engine's {@code auth: kubernetes}): the controller pod's service account token, read by the
     * store from {@link #getJwtFile()}, exchanged for a Vault token of {@link #getRole()}.
     */
    public static final class Kubernetes extends VaultSignIn {

        private final String role;
        private String authMount;
        private String jwtFile;

        @DataBoundConstructor
        public Kubernetes(String role) {
            this.role = Util.fixEmptyAndTrim(role);
        }

        public String getRole() {
            return role;
        }

        /** Where the Kubernetes method is mounted; {@code null}: {@code kubernetes}. */
        public String getAuthMount() {
            return authMount;
        }

        @DataBoundSetter
        public void setAuthMount(String authMount) {
            this.authMount = Util.fixEmptyAndTrim(authMount);
        }

        /** The service account token file; {@code null}: the pod's projected token. */
        public String getJwtFile() {
            return jwtFile;
        }

        @DataBoundSetter
        public void setJwtFile(String jwtFile) {
            this.jwtFile = Util.fixEmptyAndTrim(jwtFile);
        }

        @Override
        public String auth() {
            return "kubernetes";
        }

        @Override
        void settings(StoreDefinitionBuilder builder) {
            super.settings(builder);
            builder.set("role", role).set("authMount", authMount).set("jwtFile", jwtFile);
        }

        @Extension
        @Symbol("kubernetes")
        public static final class DescriptorImpl extends VaultSignInDescriptor {
            @Override
            public String getDisplayName() {
                return Messages.VaultStoreConfig_authKubernetes();
            }
        }
    }
}
