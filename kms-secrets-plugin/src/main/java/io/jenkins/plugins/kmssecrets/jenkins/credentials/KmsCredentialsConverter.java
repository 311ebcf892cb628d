package io.jenkins.plugins.kmssecrets.jenkins.credentials;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.ExtensionList;
import hudson.ExtensionPoint;
import io.jenkins.plugins.kmssecrets.store.CredentialType;

/**
 * Makes a credential of one type from a store secret, chosen by the secret's {@code jenkins-credentials-type} tag
 * (like the Kubernetes credentials provider's {@code SecretToCredentialConverter}). The built-in types (secret text,
 * username with password, secret file, SSH private key, certificate) are converters themselves; another plugin adds a
 * type by contributing an {@code @Extension} that claims a type name of its own and returns a subclass of
 * {@link KmsCredentials} (whose value is read through {@link StoreSecret#value()} and friends, only when used).
 * A converter reads tags and metadata only; it must never read a value.
 *
 * @since 0.1.0
 */
public abstract class KmsCredentialsConverter implements ExtensionPoint {

    /**
     * Whether this converter makes the type {@code type} names.
     *
     * @param type the {@code jenkins-credentials-type} tag as written, or {@code null} when the secret has none
     */
    public abstract boolean canConvert(@CheckForNull String type);

    /**
     * The credential for {@code secret}; {@code null} when the secret's tags do not describe one (then say why at
     * FINE, by name).
     */
    @CheckForNull
    public abstract KmsCredentials convert(@NonNull StoreSecret secret);

    /** The converter for {@code type}: the first registered one that can convert it, or {@code null}. */
    @CheckForNull
    public static KmsCredentialsConverter forType(@CheckForNull String type) {
        for (KmsCredentialsConverter converter : ExtensionList.lookup(KmsCredentialsConverter.class)) {
            if (converter.canConvert(type)) {
                return converter;
            }
        }
        return null;
    }

    /** A converter for one of the engine's {@link CredentialType}s; secret text also takes untyped secrets. */
    public abstract static class OfType extends KmsCredentialsConverter {

        private final CredentialType type;

        protected OfType(CredentialType type) {
            this.type = type;
        }

        @Override
        public final boolean canConvert(@CheckForNull String declared) {
            return declared == null ? type == CredentialType.STRING : CredentialType.fromTagValue(declared) == type;
        }
    }
}
