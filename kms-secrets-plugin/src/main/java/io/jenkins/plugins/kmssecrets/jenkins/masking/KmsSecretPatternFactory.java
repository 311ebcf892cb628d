package io.jenkins.plugins.kmssecrets.jenkins.masking;

import edu.umd.cs.findbugs.annotations.NonNull;
import io.jenkins.plugins.kmssecrets.masking.SecretMasker;
import java.util.Collection;
import org.jenkinsci.plugins.credentialsbinding.masking.SecretPatternFactory;
import org.jenkinsci.plugins.variant.OptionalExtension;
import org.kohsuke.accmod.restrictions.suppressions.SuppressRestrictedWarnings;

/**
 * Adds the forms the engine's masker knows ({@link SecretMasker#textForms(String)}: each line of a multi-line value,
 * base64, percent-encoding, JSON, shell quoting, hex) to what credentials-binding masks for the values bound by
 * {@code withCredentials} and declarative {@code credentials()}. credentials-binding masks one log line at a time,
 * so without the per-line forms a multi-line value (a PEM key) would print in clear.
 *
 * <p>It applies to every value credentials-binding masks, not only to credentials of this plugin: the extension point
 * receives the value alone, so telling a KMS value apart would need a registry derived from values, and
 * credentials-binding's own factories apply to every value too.
 *
 * <p>Registered only when credentials-binding is installed (an optional dependency): {@link OptionalExtension} checks
 * for the plugin before loading this class, as core's deprecated {@code @Extension(optional = true)} advises. The
 * extension point is restricted to credentials-binding's own use, hence the suppression.
 */
@OptionalExtension(requirePlugins = "credentials-binding")
@SuppressRestrictedWarnings(SecretPatternFactory.class)
public final class KmsSecretPatternFactory implements SecretPatternFactory {

    @NonNull
    @Override
    public Collection<String> getEncodedForms(@NonNull String input) {
        return SecretMasker.textForms(input);
    }
}
