package io.jenkins.plugins.kmssecrets.jenkins.config;

import hudson.ProxyConfiguration;
import hudson.Util;
import hudson.util.Secret;
import io.jenkins.plugins.kmssecrets.store.StoreDefinitionBuilder;
import java.util.Map;
import jenkins.model.Jenkins;

/**
 * Jenkins' HTTP proxy (Manage Jenkins, System, HTTP Proxy Configuration) as the core's proxy settings of a store
 * ({@code proxyHost}, {@code proxyPort}, {@code proxyUser}, {@code noProxyHosts}); the password is handed over in the
 * store's environment, never as a setting.
 */
final class JenkinsProxy {

    /** The store environment variable the proxy password is handed to the store in. */
    static final String PASSWORD_ENV = "KMS_SECRETS_JENKINS_PROXY_PASSWORD";

    private JenkinsProxy() {
    }

    /** Adds Jenkins' proxy to {@code builder}, if Jenkins has one. */
    static void apply(StoreDefinitionBuilder builder, Map<String, String> environment) {
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        ProxyConfiguration proxy = jenkins == null ? null : jenkins.getProxy();
        if (proxy == null || Util.fixEmptyAndTrim(proxy.getName()) == null) {
            return;
        }
        builder.set("proxyHost", proxy.getName())
                .set("proxyPort", proxy.getPort())
                .set("noProxyHosts", proxy.getNoProxyHost());
        String user = Util.fixEmptyAndTrim(proxy.getUserName());
        if (user != null) {
            builder.set("proxyUser", user);
            String password = Secret.toString(proxy.getSecretPassword());
            if (!password.isEmpty()) {
                environment.put(PASSWORD_ENV, password);
                builder.set("proxyPasswordEnv", PASSWORD_ENV);
            }
        }
    }
}
