package io.jenkins.plugins.kmssecrets.jenkins.config;

import io.jenkins.plugins.kmssecrets.audit.AuditContext;
import java.util.function.Supplier;

/**
 * Runs engine code with this plugin's class loader as the thread's context class loader. Jenkins request and
 * executor threads carry another one, and client libraries that look up providers through the context class loader
 * (service loaders in the cloud SDKs) would otherwise not see the jars bundled in this plugin.
 */
public final class PluginClassLoaderScope {

    private PluginClassLoaderScope() {
    }

    /** {@code body}'s result, computed with the plugin class loader as context class loader. */
    public static <T> T call(Supplier<T> body) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(PluginClassLoaderScope.class.getClassLoader());
        // Every engine call names its caller in the stores' audit logs: the step's build when a step opened a scope,
        // else the build of this executor thread, else "jenkins".
        AuditContext.Scope audit = BuildAuditContext.forCurrentThread().open();
        try {
            return body.get();
        } finally {
            audit.close();
            thread.setContextClassLoader(previous);
        }
    }
}
