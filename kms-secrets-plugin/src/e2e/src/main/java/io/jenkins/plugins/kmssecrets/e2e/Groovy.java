package io.jenkins.plugins.kmssecrets.e2e;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Script-console snippets. Any text handed over (file content, credential material) travels base64-encoded. */
final class Groovy {

    private Groovy() {
    }

    static String b64(String text) {
        return b64(text.getBytes(StandardCharsets.UTF_8));
    }

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** A Groovy expression for the UTF-8 string whose bytes are {@code text}. */
    static String str(String text) {
        return "new String('" + b64(text) + "'.decodeBase64(), 'UTF-8')";
    }

    static final String PLUGIN_VERSION = """
            def p = jenkins.model.Jenkins.get().pluginManager.getPlugin('kms-secrets')
            println(p == null ? 'MISSING' : (p.version + (p.isActive() ? '' : ' (inactive)')))
            def casc = jenkins.model.Jenkins.get().pluginManager.getPlugin('configuration-as-code')
            println(casc == null ? 'NO-CASC' : casc.version)
            println(jenkins.model.Jenkins.VERSION)
            """;

    /** Prints "address status" for login.microsoftonline.com as the Jenkins JVM sees it. */
    static final String CLOUD_REACH = """
            def out = []
            try { out << java.net.InetAddress.getByName('login.microsoftonline.com').hostAddress } catch (e) { out << 'unresolved' }
            try {
              def c = new URL('https://login.microsoftonline.com/common/discovery/instance').openConnection()
              c.connectTimeout = 3000; c.readTimeout = 3000
              out << c.responseCode
            } catch (e) { out << e.getClass().simpleName }
            println out.join(' ')
            """;

    static String writeControllerFile(String relative, byte[] content) {
        return "def f = new File(jenkins.model.Jenkins.get().rootDir, '" + relative + "')\n"
                + "f.parentFile.mkdirs()\n"
                + "def tmp = new File(f.parentFile, f.name + '.tmp'); tmp.bytes = '" + b64(content) + "'.decodeBase64()\n"
                + "java.nio.file.Files.move(tmp.toPath(), f.toPath(), java.nio.file.StandardCopyOption.REPLACE_EXISTING)\n"
                + "println f.path\n";
    }

    static String moveControllerFile(String from, String to) {
        return "def root = jenkins.model.Jenkins.get().rootDir\n"
                + "println new File(root, '" + from + "').renameTo(new File(root, '" + to + "'))\n";
    }

    static final String CREDENTIALS_PRELUDE = """
            import com.cloudbees.plugins.credentials.*
            import com.cloudbees.plugins.credentials.domains.Domain
            def store = SystemCredentialsProvider.getInstance().getStore()
            def put = { c ->
              def old = store.getCredentials(Domain.global()).find { it.id == c.id }
              if (old) { store.updateCredentials(Domain.global(), old, c) } else { store.addCredentials(Domain.global(), c) }
            }
            """;

    static String secretText(String id, String description, String value) {
        return "put(new org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl(CredentialsScope.GLOBAL, '"
                + id + "', '" + description + "', hudson.util.Secret.fromString(" + str(value) + ")))\n";
    }

    static String usernamePassword(String id, String description, String username, String password) {
        return "put(new com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, '"
                + id + "', '" + description + "', " + str(username) + ", " + str(password) + "))\n";
    }

    static String secretFile(String id, String description, String fileName, byte[] content) {
        return "put(new org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl(CredentialsScope.GLOBAL, '"
                + id + "', '" + description + "', '" + fileName + "', "
                + "com.cloudbees.plugins.credentials.SecretBytes.fromBytes('" + b64(content) + "'.decodeBase64())))\n";
    }

    /** Lists every credential SYSTEM sees whose id starts with {@code prefix}: "id TAB class TAB description". */
    static String listCredentials(String prefix) {
        return """
                import com.cloudbees.plugins.credentials.*
                import com.cloudbees.plugins.credentials.common.StandardCredentials
                def all
                try {
                  all = CredentialsProvider.lookupCredentialsInItemGroup(StandardCredentials, jenkins.model.Jenkins.get(), hudson.security.ACL.SYSTEM2, [])
                } catch (MissingMethodException e) {
                  all = CredentialsProvider.lookupCredentials(StandardCredentials, jenkins.model.Jenkins.get(), hudson.security.ACL.SYSTEM, [])
                }
                all.findAll { it.id.startsWith('%s') }.sort { it.id }.each { println(it.id + '\\t' + it.getClass().simpleName + '\\t' + it.description) }
                """.formatted(prefix);
    }

    /** Pre-approves a non-sandboxed pipeline script (it is created by an administrator). */
    static String preapprove(String script) {
        return "org.jenkinsci.plugins.scriptsecurity.scripts.ScriptApproval.get().preapprove(" + str(script)
                + ", org.jenkinsci.plugins.scriptsecurity.scripts.languages.GroovyLanguage.get())\nprintln 'OK'\n";
    }

    /** Prints "relative path TAB base64" for every file of the build's directory. */
    static String buildFiles(String job, int number) {
        return """
                def b = jenkins.model.Jenkins.get().getItemByFullName('%s').getBuildByNumber(%d)
                def root = b.rootDir
                root.eachFileRecurse(groovy.io.FileType.FILES) { f ->
                  println(root.toPath().relativize(f.toPath()).toString() + '\\t' + f.bytes.encodeBase64().toString())
                }
                """.formatted(job, number);
    }

    /**
     * Prints "workspace/... TAB base64" for every file left in each workspace the build used (on the controller or
     * an agent, from the flow graph's workspace actions) and in its {@code @tmp} sibling, where credentials-binding
     * writes secret files.
     */
    static String workspaceFiles(String job, int number) {
        return """
                def b = jenkins.model.Jenkins.get().getItemByFullName('%s').getBuildByNumber(%d)
                def seen = [] as Set
                new org.jenkinsci.plugins.workflow.graph.FlowGraphWalker(b.execution).each { n ->
                  def wa = n.getAction(org.jenkinsci.plugins.workflow.actions.WorkspaceAction)
                  def ws = wa?.workspace
                  if (ws == null) { return }
                  [ws, ws.sibling(ws.name + '@tmp')].each { dir ->
                    if (!seen.add(wa.node + ':' + dir.remote) || !dir.exists()) { return }
                    dir.list('**/*', null, false).each { f ->
                      def bytes = f.read().withCloseable { it.bytes }
                      println('workspace ' + (wa.node ?: 'built-in') + ':' + f.remote + '\t' + bytes.encodeBase64().toString())
                    }
                  }
                }
                """.formatted(job, number);
    }

    /**
     * Prints "home/... TAB base64" for every file under JENKINS_HOME except {@code plugins/}, {@code war/} and the
     * suite's own fixtures ({@code kms-e2e/}: the SOPS file and the Azure client certificate, which the suite writes
     * there in clear on purpose), files up to 32 MB.
     */
    static final String HOME_FILES = """
            def root = jenkins.model.Jenkins.get().rootDir
            def skip = ['plugins', 'war', 'kms-e2e'] as Set
            root.eachFileRecurse(groovy.io.FileType.FILES) { f ->
              def rel = root.toPath().relativize(f.toPath())
              if (skip.contains(rel.getName(0).toString()) || f.length() > 32L * 1024 * 1024) { return }
              println('home/' + rel.toString() + '\\t' + f.bytes.encodeBase64().toString())
            }
            """;

    static final String CONFIG_CLASS = "io.jenkins.plugins.kmssecrets.jenkins.config.KmsSecretsConfiguration";

    /** Prints the plugin's global configuration file ({@code <class>.xml} in JENKINS_HOME), base64. */
    static final String CONFIG_FILE = """
            def f = new File(jenkins.model.Jenkins.get().rootDir, '%s.xml')
            println(f.exists() ? f.bytes.encodeBase64().toString() : 'MISSING')
            """.formatted(CONFIG_CLASS);

    /**
     * Prints the live configuration: one line per store "id TAB type" (and "TAB mode" for a store with sign-in modes,
     * for example {@code AzureSignIn$ClientSecret}) and "TAB allowRotation=true|false", then "ttl TAB ..." .
     */
    static final String LIVE_CONFIG = """
            def c = jenkins.model.Jenkins.get().getDescriptorByType(%s)
            c.stores.each { println(it.id + '\\t' + it.storeType() + (it.hasProperty('signIn') ? '\\t' + it.signIn.class.name.tokenize('.').last() : '') + '\\tallowRotation=' + it.allowRotation) }
            println('ttl\\t' + c.cacheTtl)
            """.formatted(CONFIG_CLASS);

    /**
     * Submits {@code json} to the plugin's {@code configure(StaplerRequest2, JSONObject)} as the global configuration
     * form does (with the script console's request, so Stapler's data binding and the descriptor's validation run
     * as for a browser), then saves; prints "SAVED" or "REJECTED<TAB>message".
     */
    static String formSubmit(String json) {
        return """
                def c = jenkins.model.Jenkins.get().getDescriptorByType(%s)
                def req = org.kohsuke.stapler.Stapler.getCurrentRequest2()
                try {
                  if (c.configure(req, net.sf.json.JSONObject.fromObject(%s))) { c.save() }
                  println 'SAVED'
                } catch (hudson.model.Descriptor.FormException e) {
                  println('REJECTED\\t' + e.message)
                }
                """.formatted(CONFIG_CLASS, str(json));
    }

    /** Reloads the plugin's configuration from disk into a new instance and prints its stores like LIVE_CONFIG. */
    static final String DISK_CONFIG = """
            def c = %s.newInstance()
            c.stores.each { println(it.id + '\\t' + it.storeType() + (it.hasProperty('signIn') ? '\\t' + it.signIn.class.name.tokenize('.').last() : '') + '\\tallowRotation=' + it.allowRotation) }
            println('ttl\\t' + c.cacheTtl)
            """.formatted(CONFIG_CLASS);

    /** Writes the plugin's global configuration file (then {@code POST /reload} loads it). */
    static String writeConfigFile(byte[] xml) {
        return "new File(jenkins.model.Jenkins.get().rootDir, '" + CONFIG_CLASS + ".xml').bytes = '" + b64(xml)
                + "'.decodeBase64()\nprintln 'WRITTEN'\n";
    }

    /** Saves the live plugin configuration (in the current format). */
    static final String SAVE_CONFIG = """
            jenkins.model.Jenkins.get().getDescriptorByType(%s).save()
            println 'SAVED'
            """.formatted(CONFIG_CLASS);

    /** Applies JCasC YAML through the plugin's API (when the HTTP endpoint is not available). */
    static String cascApply(String yaml) {
        return "io.jenkins.plugins.casc.ConfigurationAsCode.get().configureWith(io.jenkins.plugins.casc.yaml.YamlSource.of("
                + "new ByteArrayInputStream('" + b64(yaml) + "'.decodeBase64())))\nprintln 'APPLIED'\n";
    }
}
