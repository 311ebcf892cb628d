package io.jenkins.plugins.kmssecrets.doctor;

/**
 * How a store would sign in, found without signing in: the method, where its credential comes from, and whether that
 * credential is there. Never holds a credential.
 *
 * @param method what the store uses, as its settings say ({@code azureCli}, {@code adc}, {@code token}, {@code age})
 * @param source where the credential was found or looked for, for example
 *               {@code az login as dev@example.com (tenant 72f9...)} or
 *               {@code ADC file /home/me/.config/gcloud/application_default_credentials.json (authorized_user)}
 * @param found  whether the credential is there; {@code false} means the store would fail to sign in
 * @param fix    the command that provides what is missing, or {@code null}
 * @since 0.2.0
 */
public record SignInFinding(String method, String source, boolean found, String fix) {

    static SignInFinding found(String method, String source) {
        return new SignInFinding(method, source, true, null);
    }

    static SignInFinding missing(String method, String source, String fix) {
        return new SignInFinding(method, source, false, fix);
    }
}
