package io.jenkins.plugins.kmssecrets.jenkins.credentials;

import hudson.util.Secret;
import io.jenkins.plugins.kmssecrets.audit.AuditContext;
import io.jenkins.plugins.kmssecrets.jenkins.config.BuildAuditContext;
import io.jenkins.plugins.kmssecrets.jenkins.config.KmsSecretsConfiguration;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.JsonProperty;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import jenkins.model.Jenkins;

/**
 * Where a credential's value comes from. A live credential holds only the store id and secret name, and reads the
 * value from the store each time it is asked (so listing never reads values); its snapshot, taken on the controller
 * before the credential is sent to an agent, holds the value itself, sealed.
 */
public abstract class SecretSource implements Serializable {

    private static final long serialVersionUID = 1L;

    SecretSource() {
    }

    /** A source that reads {@code name} from store {@code storeId} when asked. */
    public static SecretSource live(String storeId, String name) {
        return new Live(null, storeId, name, null, null);
    }

    /**
     * A source that reads one JSON property of {@code name} (from the secret's
     * {@code jenkins-credentials-property} tag), or the whole value when {@code property} is {@code null}.
     */
    public static SecretSource live(String storeId, String name, String property) {
        return new Live(null, storeId, name, property, null);
    }

    /**
     * A source that reads from a store of {@code scope}: a folder's full name ({@code ConfiguredStores#scopeOf}), or
     * {@code null} for the global configuration.
     */
    public static SecretSource live(String scope, String storeId, String name, String property) {
        return new Live(scope, storeId, name, property, null);
    }

    /** The value, as a fresh array the caller should wipe. */
    public abstract byte[] bytes();

    /** A source holding the value now, for sending to an agent. */
    public abstract SecretSource snapshot();

    /**
     * This source reading on behalf of the build {@code build} ({@code <job full name>#<number>}), named in the
     * store's audit log; a snapshot (which holds its value) is returned as it is.
     */
    public SecretSource forRun(String build) {
        return this;
    }

    /** The value as UTF-8 text. */
    public String text() {
        byte[] bytes = bytes();
        try {
            return new String(bytes, StandardCharsets.UTF_8);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** The value as a Jenkins {@link Secret}, for the credential types whose value is text. */
    final Secret secret() {
        return Secret.fromString(text());
    }

    private static final class Live extends SecretSource {

        private static final long serialVersionUID = 1L;

        /** A folder's full name, or {@code null} (also in sources serialized before folders had stores): global. */
        private final String scope;
        private final String storeId;
        private final String name;
        private final String property;
        /**
         * The build reading the value, for the store's audit log, or {@code null} (the calling thread's build, else
         * {@code jenkins}). Transient: it must not change the credential's fingerprint from build to build.
         */
        private final transient String build;

        Live(String scope, String storeId, String name, String property, String build) {
            this.scope = scope;
            this.storeId = storeId;
            this.name = name;
            this.property = property;
            this.build = build;
        }

        @Override
        public SecretSource forRun(String run) {
            return new Live(scope, storeId, name, property, run);
        }

        @Override
        public byte[] bytes() {
            if (Jenkins.getInstanceOrNull() == null) {
                throw new IllegalStateException("kms-secrets credential '" + storeId + "." + name + "' was sent to an "
                        + "agent without a snapshot; its value can only be read on the controller");
            }
            AuditContext audit = build != null ? AuditContext.of(AuditContext.Tool.JENKINS, build)
                    : BuildAuditContext.forCurrentThread();
            return audit.call(this::read);
        }

        private byte[] read() {
            try (SecretValue value = KmsSecretsConfiguration.runtimeOfScope(scope)
                    .fetch(SecretReference.of(storeId, name))) {
                if (property == null) {
                    return value.bytes();
                }
                try (SecretValue selected = JsonProperty.select(value, property, storeId, name)) {
                    return selected.bytes();
                }
            }
        }

        @Override
        public SecretSource snapshot() {
            byte[] bytes = bytes();
            try {
                return new Fixed(SealedBytes.of(bytes));
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        }

        @Override
        public String toString() {
            return "live[" + storeId + ":" + name + (property == null ? "" : "#" + property) + "]";
        }
    }

    private static final class Fixed extends SecretSource {

        private static final long serialVersionUID = 1L;

        private final SealedBytes value;

        Fixed(SealedBytes value) {
            this.value = value;
        }

        @Override
        public byte[] bytes() {
            return value.open();
        }

        @Override
        public SecretSource snapshot() {
            return this;
        }

        @Override
        public String toString() {
            return "snapshot[****]";
        }
    }
}
