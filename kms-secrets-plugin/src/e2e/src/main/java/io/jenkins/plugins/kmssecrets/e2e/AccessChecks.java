package io.jenkins.plugins.kmssecrets.e2e;

import io.jenkins.plugins.kmssecrets.testing.ConnectProxy;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeEntraAuthority;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeKeyVaultServer;
import io.jenkins.plugins.kmssecrets.testing.gsm.FakeSecretManager;
import io.jenkins.plugins.kmssecrets.testing.vault.FakeVault;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who sees what (issue 18 §1), run with the configuration checks against the Vault store:
 * <ul>
 *   <li>{@code folder-permissions}: with the matrix-auth plugin (skipped without it), folders {@value #FOLDER_A}
 *       and {@value #FOLDER_B} each configure a store {@code perm} on their own Vault mount. User {@value #READER}
 *       gets Overall/Read and, on folder A only, Item/Read (first alone, then with Credentials/View, which every
 *       credentials page needs). As that user: folder B and its credentials pages answer 404/403; with Item/Read
 *       alone folder A's credentials page is refused too; with Credentials/View it lists A's credential ids; and B's
 *       ids appear in nothing the user can fetch (A's pages and their API, the root credentials page and API, the
 *       credential drop-down of a store form in A and at the root, which offers the reader no credential). As the
 *       administrator, that drop-down offers folder A's own credential in A and not at the root. The authorization
 *       strategy the runner found is restored afterwards, also when the case fails, and the user is deleted.</li>
 *   <li>{@code folder-config-xml}: with the matrix-auth plugin (skipped without it), folder {@value #XML_FOLDER}
 *       has a Vault store {@code xml} on mount {@code xml-a}; mount {@code xml-b} holds the same secret name with
 *       another value. User {@value #EDITOR} gets Overall/Read and, on the folder, Item/Read and Item/Configure. A
 *       pipeline in the folder reports which value it read. As that user: a {@code config.xml} POST changing only the
 *       description keeps the store working (value A); a POST pointing the store at {@code xml-b} is accepted by
 *       Jenkins but never takes effect: the build fails with the one-line error naming the folder and asking for an
 *       administrator (never value B), the file on disk records the user, reading it back from disk as {@code SYSTEM}
 *       (as start-up and a reload do) keeps the refusal, and re-posting the folder unchanged does
 *       not approve it; nor does the administrator posting back the fetched {@code config.xml}, which carries the
 *       mark. As the administrator, the change posted without the mark takes effect (value B). The
 *       authorization strategy is restored and the folder and user deleted afterwards, also when the case fails.</li>
 *   <li>{@code proxy-ca-file} (issue 18 §4): the runner starts a loopback {@code CONNECT} proxy that records each
 *       tunnel's target and two HTTPS Vault fakes presenting a certificate nothing trusts ({@link SeparateCertificate};
 *       the Jenkins JVM's trust store holds only the suite's shared one), sets Jenkins' proxy (no-proxy hosts:
 *       {@code 127.0.0.1}) and writes the certificate to {@code JENKINS_HOME/kms-e2e/}. A folder configures four Vault
 *       stores with that file as {@code caCertFile}: through the proxy, with {@code directConnection}, on a no-proxy
 *       host, and one without {@code caCertFile}. A pipeline reads a secret from each: the first three read it (masked);
 *       the proxy saw tunnels to the first store's host only; the last fails with a trust error naming the store. Two
 *       Azure Key Vault stores (client secret from a folder credential) whose fake vault ({@link FrontDoor#VAULT_HOST}
 *       on its own port, which the proxy maps to 127.0.0.1) and fake authority ({@code authorityHost}) present the
 *       same certificate: the one with the file reads through the proxy (tunnels to both seen), the one without fails
 *       with the trust error naming the store. Two Google Secret Manager stores (service-account key from a folder
 *       credential, {@code endpoint} and the key's {@code token_uri} on a fake presenting the same certificate) the
 *       same. Then
 *       the proxy requires Basic authentication and Jenkins' proxy gets a user and password: when the Jenkins JVM runs
 *       with {@code -Djdk.http.auth.tunneling.disabledSchemes=} (empty) the read through the proxy succeeds after a
 *       407 challenge, otherwise it fails with an error naming that JVM option (the JDK's limitation). Jenkins' proxy
 *       configuration is put back afterwards, also when the case fails.</li>
 *   <li>{@code folder-runtime-closed}: a folder's live stores (their cache refresh thread pool) are closed when the
 *       folder's stores are replaced by a save, by a {@code config.xml} update, and when the folder is deleted (read
 *       through the script console from the plugin's objects).</li>
 * </ul>
 */
final class AccessChecks {

    static final List<String> NAMES = List.of("folder-permissions", "folder-config-xml", "proxy-ca-file",
            "folder-runtime-closed");

    static final String FOLDER_A = "kms-e2e-perm-a";
    static final String FOLDER_B = "kms-e2e-perm-b";
    static final String READER = "kms-e2e-reader";
    private static final String TOKEN_CREDENTIAL = "kms-e2e-perm-token";
    /** Secret names (credential ids {@code perm.<name>}): distinct per folder, searched for in the reader's pages. */
    static final String ONLY_A = "perm-only-a";
    static final String ONLY_B = "perm-only-b";
    static final String VALUE_A = "PermA-" + random();
    static final String VALUE_B = "PermB-" + random();

    private final JenkinsClient jenkins;
    private final LeakChecker leaks;
    private final FakeServers servers;

    AccessChecks(JenkinsClient jenkins, LeakChecker leaks, FakeServers servers) {
        this.jenkins = jenkins;
        this.leaks = leaks;
        this.servers = servers;
    }

    /** The values the leak checker must search for besides the corpus. */
    static Map<String, String> values() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("perm-a:" + ONLY_A, VALUE_A);
        values.put("perm-b:" + ONLY_B, VALUE_B);
        values.put("xml-a:" + XML_SECRET, XML_VALUE_A);
        values.put("xml-b:" + XML_SECRET, XML_VALUE_B);
        values.put("proxy:" + PROXY_SECRET, PROXY_VALUE);
        values.put("auth:jenkins-proxy-password", PROXY_PASSWORD);
        values.put("auth:proxy-akv-client-secret", PROXY_AKV_CLIENT_SECRET);
        values.put("auth:proxy-gsm-private-key", PROXY_GSM_PRIVATE_KEY);
        return values;
    }

    void run(String name, CaseResult r) throws IOException {
        switch (name) {
            case "folder-permissions" -> folderPermissions(r);
            case "folder-config-xml" -> folderConfigXml(r);
            case "proxy-ca-file" -> proxyCaFile(r);
            case "folder-runtime-closed" -> folderRuntimeClosed(r);
            default -> throw new IllegalArgumentException(name);
        }
    }

    // ---- folder permissions ---------------------------------------------------------------------------------------

    /** Prints READY, or SKIP TAB reason. */
    private static final String PRECONDITIONS = """
            def j = jenkins.model.Jenkins.get()
            def pm = j.pluginManager
            if (!(pm.getPlugin('matrix-auth')?.isActive())) { println 'SKIP\\tthe matrix-auth plugin is not installed'; return }
            if (!(pm.getPlugin('cloudbees-folder')?.isActive())) { println 'SKIP\\tthe cloudbees-folder plugin is not installed'; return }
            if (!(j.securityRealm instanceof hudson.security.HudsonPrivateSecurityRealm)) {
              println 'SKIP\\tthe security realm is ' + j.securityRealm.getClass().simpleName + ', not Jenkins\\' own user database'; return
            }
            println 'READY'
            """;

    private void folderPermissions(CaseResult r) throws IOException {
        if (servers.vault() == null) {
            r.skip("the Vault store is not part of this run");
            return;
        }
        String ready = jenkins.script(PRECONDITIONS).strip();
        if (!ready.equals("READY")) {
            r.skip(ready.startsWith("SKIP\t") ? ready.substring(5) : "precondition check: "
                    + JenkinsClient.abbreviate(ready));
            return;
        }
        seed(servers.vault());
        // The strategy as the runner found it (XStream XML, base64), put back in the finally block.
        String saved = jenkins.script(SAVE_STRATEGY).strip();
        if (!saved.startsWith("STRATEGY\t")) {
            r.problem("reading the authorization strategy failed: " + JenkinsClient.abbreviate(saved));
            return;
        }
        try {
            String setUp = jenkins.script(setUp());
            Matcher token = Pattern.compile("TOKEN\\t(\\S+)").matcher(setUp);
            if (!setUp.contains("PERMS-READY") || !token.find()) {
                r.problem("setting up folders, user and permissions failed: " + JenkinsClient.abbreviate(
                        setUp.replaceAll("TOKEN\\t\\S+", "TOKEN ****")));
                return;
            }
            JenkinsClient reader = new JenkinsClient(jenkins.base(), READER, token.group(1));
            // As the administrator: both folders' stores list their secret (the case proves something).
            String listed = jenkins.script(LIST_BOTH);
            if (!listed.contains("A\tperm." + ONLY_A) || !listed.contains("B\tperm." + ONLY_B)) {
                r.problem("the folders' stores do not list their secrets: " + JenkinsClient.abbreviate(listed));
                return;
            }
            credentialChoices(r);
            folderTestConnection(r, reader);
            List<String> fetched = new ArrayList<>();
            // Item/Read alone on A.
            expectStatus(r, reader, fetched, "job/" + FOLDER_A + "/", 200);
            expectStatus(r, reader, fetched, "job/" + FOLDER_A + "/credentials/", 403);
            hiddenB(r, reader, fetched, "Item/Read only");
            String readerFill = expectStatus(r, reader, fetched, "job/" + FOLDER_A + "/" + CREDENTIALS_FILL, 200);
            if (readerFill.contains(TOKEN_CREDENTIAL)) {
                r.problem("the credentials drop-down in " + FOLDER_A + " offers the reader (no Item/Configure) "
                        + "the folder's credentials");
            }
            // Item/Read and Credentials/View on A.
            String granted = jenkins.script(GRANT_VIEW);
            if (!granted.contains("GRANTED")) {
                r.problem("granting Credentials/View on " + FOLDER_A + " failed: " + JenkinsClient.abbreviate(granted));
                return;
            }
            String credentials = expectStatus(r, reader, fetched, "job/" + FOLDER_A + "/credentials/", 200);
            Matcher link = Pattern.compile("href=\"\\.\\./credentials/store/(kms[^/\"]*)/?\"").matcher(credentials);
            if (!link.find()) {
                r.problem("job/" + FOLDER_A + "/credentials/ shows the reader no KMS Secrets store of the folder");
            } else {
                String storePage = "job/" + FOLDER_A + "/credentials/store/" + link.group(1) + "/domain/_/";
                String domain = expectStatus(r, reader, fetched, storePage, 200);
                if (!domain.contains("perm." + ONLY_A)) {
                    r.problem(storePage + " does not list perm." + ONLY_A + " to the reader");
                }
            }
            String api = expectStatus(r, reader, fetched, "job/" + FOLDER_A + "/credentials/api/json?depth=5", 200);
            if (!api.contains("perm." + ONLY_A)) {
                r.problem("job/" + FOLDER_A + "/credentials/api/json does not list perm." + ONLY_A + " to the reader");
            }
            hiddenB(r, reader, fetched, "Item/Read and Credentials/View");
            long naming = fetched.stream().filter(body -> body.contains(ONLY_B)).count();
            if (naming > 0) {
                r.problem(naming + " of the " + fetched.size() + " pages fetched as " + READER + " name folder B's "
                        + "credential id " + ONLY_B);
            } else {
                r.note(fetched.size() + " pages fetched as " + READER + ", none naming " + ONLY_B);
            }
        } finally {
            String restored = jenkins.script(restore(saved.substring("STRATEGY\t".length())));
            if (!restored.contains("RESTORED")) {
                r.problem("restoring the authorization strategy failed: " + JenkinsClient.abbreviate(restored));
            }
        }
    }

    private static final String CREDENTIALS_FILL = "descriptorByName/"
            + "io.jenkins.plugins.kmssecrets.jenkins.config.VaultStoreConfig/fillCredentialsIdItems";

    /**
     * The sign-in credential drop-down of a store form lists the credentials of the form's context, as the
     * administrator: on folder A's configuration the folder's own token credential, on the global configuration not.
     */
    private void credentialChoices(CaseResult r) throws IOException {
        JenkinsClient.Response inFolder = jenkins.get("job/" + FOLDER_A + "/" + CREDENTIALS_FILL);
        JenkinsClient.Response atRoot = jenkins.get(CREDENTIALS_FILL);
        leaks.scan(r, "credentials drop-down in " + FOLDER_A, inFolder.body());
        leaks.scan(r, "credentials drop-down at the root", atRoot.body());
        if (inFolder.status() != 200 || !inFolder.body().contains(TOKEN_CREDENTIAL)) {
            r.problem("the credentials drop-down of a store form in " + FOLDER_A + " (HTTP " + inFolder.status()
                    + ") does not offer the folder's credential " + TOKEN_CREDENTIAL);
        }
        if (atRoot.status() != 200 || atRoot.body().contains(TOKEN_CREDENTIAL)) {
            r.problem("the credentials drop-down of the global store form (HTTP " + atRoot.status()
                    + ") offers folder credential " + TOKEN_CREDENTIAL + " or failed");
        }
    }

    private static final String TEST_CONNECTION = "descriptorByName/"
            + "io.jenkins.plugins.kmssecrets.jenkins.config.VaultStoreConfig/testConnection";

    /**
     * "Test connection" on a folder's store form signs in with the folder's credentials (as the store will at build
     * time): connected in folder A with A's token credential; the same fields on the global form fail, naming the
     * credential as missing from the root; the reader (no Item/Configure on A) is refused.
     */
    private void folderTestConnection(CaseResult r, JenkinsClient reader) throws IOException {
        Map<String, String> form = Map.of("id", "perm-check", "address", servers.vault().address().toString(),
                "mount", "perm-a", "authMethod", "token", "credentialsId", TOKEN_CREDENTIAL);
        JenkinsClient.Response inFolder = jenkins.postForm("job/" + FOLDER_A + "/" + TEST_CONNECTION, form);
        JenkinsClient.Response atRoot = jenkins.postForm(TEST_CONNECTION, form);
        JenkinsClient.Response asReader = reader.postForm("job/" + FOLDER_A + "/" + TEST_CONNECTION, form);
        leaks.scan(r, "Test connection in " + FOLDER_A, inFolder.body());
        leaks.scan(r, "Test connection at the root", atRoot.body());
        leaks.scan(r, READER + " Test connection", asReader.body());
        if (inFolder.status() != 200 || !inFolder.body().contains("Connected")) {
            r.problem("Test connection of a store form in " + FOLDER_A + " with the folder's credential answered HTTP "
                    + inFolder.status() + ": " + JenkinsClient.abbreviate(inFolder.body()));
        }
        if (atRoot.body().contains("Connected") || !atRoot.body().contains(TOKEN_CREDENTIAL)) {
            r.problem("Test connection on the global form with folder credential " + TOKEN_CREDENTIAL
                    + " did not fail naming it: " + JenkinsClient.abbreviate(atRoot.body()));
        }
        if (asReader.status() != 403 && asReader.status() != 404) {
            r.problem("Test connection in " + FOLDER_A + " answered the reader (no Item/Configure) HTTP "
                    + asReader.status() + ", expected 403");
        }
    }

    /** Folder B and everything that could list its ids, as the reader. */
    private void hiddenB(CaseResult r, JenkinsClient reader, List<String> fetched, String when) throws IOException {
        String credentialsFill = CREDENTIALS_FILL;
        for (String path : List.of("job/" + FOLDER_B + "/", "job/" + FOLDER_B + "/credentials/",
                "job/" + FOLDER_B + "/credentials/api/json?depth=5", "job/" + FOLDER_B + "/api/json?depth=2",
                "job/" + FOLDER_B + "/" + credentialsFill)) {
            JenkinsClient.Response page = reader.get(path);
            leaks.scan(r, READER + " " + path, page.body());
            fetched.add(page.body());
            if (page.status() != 404 && page.status() != 403) {
                r.problem(when + ": " + path + " answered the reader HTTP " + page.status() + ", expected 404/403");
            }
        }
        for (String path : List.of("api/json?depth=2", "job/" + FOLDER_A + "/api/json?depth=2",
                "manage/credentials/", "credentials/", "manage/credentials/api/json?depth=5",
                "credentials/api/json?depth=5", credentialsFill, "job/" + FOLDER_A + "/" + credentialsFill,
                "job/" + FOLDER_A + "/credentials/", "job/" + FOLDER_A + "/credentials/api/json?depth=5")) {
            JenkinsClient.Response page = reader.get(path);
            leaks.scan(r, READER + " " + path, page.body());
            fetched.add(page.body());
        }
    }

    private String expectStatus(CaseResult r, JenkinsClient client, List<String> fetched, String path, int status)
            throws IOException {
        JenkinsClient.Response page = client.get(path);
        leaks.scan(r, READER + " " + path, page.body());
        fetched.add(page.body());
        if (page.status() != status) {
            r.problem(path + " answered the reader HTTP " + page.status() + ", expected " + status);
        }
        return page.body();
    }

    private static void seed(FakeVault vault) {
        seedMount(vault, "perm-a", ONLY_A, VALUE_A);
        seedMount(vault, "perm-b", ONLY_B, VALUE_B);
    }

    private static void seedMount(FakeVault vault, String mount, String name, String value) {
        vault.mount(mount, 2);
        vault.put(mount, name, Map.of("value", value));
        vault.customMetadata(mount, name, Map.of("jenkins-credentials-type", "string",
                "jenkins-credentials-property", "value"));
    }

    /** Prints the current strategy as XStream XML, base64. */
    private static final String SAVE_STRATEGY = """
            def xml = jenkins.model.Jenkins.XSTREAM2.toXML(jenkins.model.Jenkins.get().authorizationStrategy)
            println('STRATEGY\\t' + xml.getBytes('UTF-8').encodeBase64().toString())
            """;

    /** Puts the saved strategy back, then deletes the folders and the user. */
    private static String restore(String strategyBase64) {
        return restore(strategyBase64, List.of(FOLDER_A, FOLDER_B), READER);
    }

    private static String restore(String strategyBase64, List<String> folders, String user) {
        return """
                def j = jenkins.model.Jenkins.get()
                j.authorizationStrategy = jenkins.model.Jenkins.XSTREAM2.fromXML(new String('%3$s'.decodeBase64(), 'UTF-8'))
                j.save()
                %1$s.each { j.getItem(it)?.delete() }
                hudson.model.User.getById('%2$s', false)?.delete()
                println 'RESTORED ' + j.authorizationStrategy.getClass().simpleName
                """.formatted("['" + String.join("', '", folders) + "']", user, strategyBase64);
    }

    private static final String LIST_BOTH = """
            import com.cloudbees.plugins.credentials.*
            import com.cloudbees.plugins.credentials.common.StandardCredentials
            def j = jenkins.model.Jenkins.get()
            ['A': '%s', 'B': '%s'].each { k, name ->
              CredentialsProvider.lookupCredentialsInItemGroup(StandardCredentials, j.getItem(name), hudson.security.ACL.SYSTEM2, [])
                  .findAll { it.id.startsWith('perm.') }.each { println(k + '\\t' + it.id) }
            }
            """.formatted(FOLDER_A, FOLDER_B);

    private static final String GRANT_VIEW = """
            def f = jenkins.model.Jenkins.get().getItem('%s')
            def p = f.properties.get(com.cloudbees.hudson.plugins.folder.properties.AuthorizationMatrixProperty)
            p.add(com.cloudbees.plugins.credentials.CredentialsProvider.VIEW, org.jenkinsci.plugins.matrixauth.PermissionEntry.user('%s'))
            f.save()
            println 'GRANTED'
            """.formatted(FOLDER_A, READER);

    private String setUp() {
        return """
                import com.cloudbees.hudson.plugins.folder.Folder
                import com.cloudbees.plugins.credentials.*
                import com.cloudbees.plugins.credentials.domains.Domain
                import hudson.security.ProjectMatrixAuthorizationStrategy
                import io.jenkins.plugins.kmssecrets.jenkins.config.*
                import jenkins.model.Jenkins
                import org.jenkinsci.plugins.matrixauth.PermissionEntry
                def j = Jenkins.get()
                ['%1$s', '%2$s'].each { j.getItem(it)?.delete() }
                hudson.model.User.getById('%3$s', false)?.delete() // left by an interrupted run
                def user = j.securityRealm.createAccount('%3$s', 'pw-' + UUID.randomUUID())
                def token = user.getProperty(jenkins.security.ApiTokenProperty).tokenStore.generateNewToken('kms-e2e').plainValue
                user.save()
                // The runner's own user stays an administrator; the reader gets Overall/Read only.
                def strategy = new ProjectMatrixAuthorizationStrategy()
                strategy.add(Jenkins.ADMINISTER, PermissionEntry.user(Jenkins.getAuthentication2().name))
                strategy.add(Jenkins.READ, PermissionEntry.user('%3$s'))
                j.authorizationStrategy = strategy
                j.save()
                def fa = j.createProject(Folder, '%1$s'); def fb = j.createProject(Folder, '%2$s')
                def vaultToken = %4$s
                [fa, fb].each { f ->
                  def store = CredentialsProvider.lookupStores(f).find { it.context == f && it.getClass().name.contains('FolderCredentialsProvider') }
                  store.addCredentials(Domain.global(), new org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl(
                      CredentialsScope.GLOBAL, '%5$s', 'kms-e2e: Vault token of the permission folders', hudson.util.Secret.fromString(vaultToken)))
                }
                def vault = { mount ->
                  def v = new VaultStoreConfig('perm', '%6$s'); v.mount = mount; v.signIn = new VaultSignIn.Token('%5$s'); v
                }
                def pa = new KmsFolderProperty(); pa.stores = [vault('perm-a')]; fa.addProperty(pa)
                def pb = new KmsFolderProperty(); pb.stores = [vault('perm-b')]; fb.addProperty(pb)
                def matrix = new com.cloudbees.hudson.plugins.folder.properties.AuthorizationMatrixProperty([])
                matrix.add(hudson.model.Item.READ, PermissionEntry.user('%3$s'))
                fa.addProperty(matrix)
                println 'TOKEN\\t' + token
                println 'PERMS-READY'
                """.formatted(FOLDER_A, FOLDER_B, READER, Groovy.str(servers.vaultToken()), TOKEN_CREDENTIAL,
                servers.vault().address().toString());
    }

    // ---- folder config.xml by a non-administrator ----------------------------------------------------------------

    static final String XML_FOLDER = "kms-e2e-xml";
    static final String EDITOR = "kms-e2e-editor";
    private static final String XML_TOKEN_CREDENTIAL = "kms-e2e-xml-token";
    static final String XML_SECRET = "xml-secret";
    static final String XML_VALUE_A = "XmlA-" + random();
    static final String XML_VALUE_B = "XmlB-" + random();

    /** Reads the store {@code xml}; prints "probe = A", "probe = B", "probe = OTHER" or "probe = ERROR message". */
    private static final String XML_PROBE = """
            def h(String s) { java.security.MessageDigest.getInstance('SHA-256').digest(s.getBytes('UTF-8')).encodeHex().toString() }
            try {
              withKmsSecrets(secrets: [[env: 'W', ref: 'xml:%s#value']]) {
                def got = h(env.W)
                echo 'probe = ' + (got == '%s' ? 'A' : got == '%s' ? 'B' : 'OTHER')
              }
            } catch (e) { echo 'probe = ERROR ' + e.message }
            """;

    private void folderConfigXml(CaseResult r) throws IOException {
        if (servers.vault() == null) {
            r.skip("the Vault store is not part of this run");
            return;
        }
        String ready = jenkins.script(PRECONDITIONS).strip();
        if (!ready.equals("READY")) {
            r.skip(ready.startsWith("SKIP\t") ? ready.substring(5) : "precondition check: "
                    + JenkinsClient.abbreviate(ready));
            return;
        }
        seedMount(servers.vault(), "xml-a", XML_SECRET, XML_VALUE_A);
        seedMount(servers.vault(), "xml-b", XML_SECRET, XML_VALUE_B);
        String saved = jenkins.script(SAVE_STRATEGY).strip();
        if (!saved.startsWith("STRATEGY\t")) {
            r.problem("reading the authorization strategy failed: " + JenkinsClient.abbreviate(saved));
            return;
        }
        try {
            String probe = XML_PROBE.formatted(XML_SECRET, ScopeChecks.sha256(XML_VALUE_A),
                    ScopeChecks.sha256(XML_VALUE_B));
            String approved = jenkins.script(Groovy.preapprove(probe));
            String setUp = jenkins.script(xmlSetUp(probe));
            Matcher token = Pattern.compile("TOKEN\\t(\\S+)").matcher(setUp);
            if (!approved.contains("OK") || !setUp.contains("XML-READY") || !token.find()) {
                r.problem("setting up the folder, user and permissions failed: " + JenkinsClient.abbreviate(
                        (approved + " " + setUp).replaceAll("TOKEN\\t\\S+", "TOKEN ****")));
                return;
            }
            JenkinsClient editor = new JenkinsClient(jenkins.base(), EDITOR, token.group(1));
            String configPath = "job/" + XML_FOLDER + "/config.xml";
            expectProbe(r, "as set up by the administrator", "A");

            // The editor changes the description only: the store keeps working.
            String original = editorConfig(r, editor, configPath);
            if (original == null) {
                return;
            }
            postConfig(r, editor, configPath, withDescription(original, "changed by " + EDITOR), EDITOR
                    + " (description only)");
            expectProbe(r, "after " + EDITOR + " changed the description", "A");

            // The editor points the store at another mount: accepted by Jenkins, never used.
            String current = editorConfig(r, editor, configPath);
            if (current == null) {
                return;
            }
            if (!current.contains("<mount>xml-a</mount>")) {
                r.problem(configPath + " as " + EDITOR + " does not show the store's mount xml-a");
                return;
            }
            String toB = current.replace("<mount>xml-a</mount>", "<mount>xml-b</mount>");
            postConfig(r, editor, configPath, toB, EDITOR + " (store changed)");
            String refused = expectProbe(r, "after " + EDITOR + " changed the store", "ERROR");
            if (refused != null && !(refused.contains("folder '" + XML_FOLDER + "'") && refused.contains(EDITOR)
                    && refused.contains("administrator"))) {
                r.problem("the refusal does not name the folder, the user and the need for an administrator: "
                        + JenkinsClient.abbreviate(refused));
            }
            String onDisk = jenkins.script("""
                    def f = jenkins.model.Jenkins.get().getItem('%s')
                    def text = f.configFile.asString()
                    println((text.contains('<unapprovedChangeBy>%s</unapprovedChangeBy>') ? 'MARKED' : 'UNMARKED')
                        + (text.contains('<mount>xml-b</mount>') ? ' B' : ' A'))
                    """.formatted(XML_FOLDER, EDITOR)).strip();
            if (!onDisk.equals("MARKED B")) {
                r.problem("the folder's config.xml on disk after " + EDITOR + "'s change: " + onDisk
                        + ", expected MARKED B (the change kept, marked as awaiting an administrator)");
            }
            // Reading the folder back from disk as SYSTEM (what start-up and "Reload Configuration from Disk" do)
            // keeps the mark.
            String reloaded = jenkins.script("""
                    def f = jenkins.model.Jenkins.get().getItem('%s')
                    def ctx = hudson.security.ACL.as2(hudson.security.ACL.SYSTEM2)
                    try { f.load() } finally { ctx.close() }
                    def p = jenkins.model.Jenkins.get().getItem('%s').properties.get(io.jenkins.plugins.kmssecrets.jenkins.config.KmsFolderProperty)
                    println('RELOADED\\t' + p?.unapprovedChangeBy)
                    """.formatted(XML_FOLDER, XML_FOLDER)).strip();
            if (!reloaded.equals("RELOADED\t" + EDITOR)) {
                r.problem("reloading the folder from disk as SYSTEM: " + JenkinsClient.abbreviate(reloaded)
                        + ", expected the mark " + EDITOR + " kept");
            }
            expectProbe(r, "after reloading the folder from disk", "ERROR");
            // Re-posting the folder unchanged (as the editor) does not approve the editor's stores.
            String again = editorConfig(r, editor, configPath);
            if (again != null) {
                postConfig(r, editor, configPath, withDescription(again, "again by " + EDITOR), EDITOR
                        + " (description only, stores awaiting approval)");
                expectProbe(r, "after " + EDITOR + " re-posted the unapproved stores", "ERROR");
            }

            // The administrator posting back the fetched config.xml (it carries the mark) does not approve either.
            JenkinsClient.Response fetched = jenkins.get(configPath);
            leaks.scan(r, "administrator GET " + configPath, fetched.body());
            if (fetched.status() != 200 || !fetched.body().contains("<unapprovedChangeBy>" + EDITOR + "<")) {
                r.problem(configPath + " as the administrator (HTTP " + fetched.status() + ") does not show the mark "
                        + "<unapprovedChangeBy>" + EDITOR + "</unapprovedChangeBy>");
            } else {
                postConfig(r, jenkins, configPath, withDescription(fetched.body(), "round trip by the administrator"),
                        "administrator (fetched config.xml, mark kept)");
                expectProbe(r, "after the administrator posted back the marked config.xml", "ERROR");
            }

            // The administrator posts the change without the mark: it takes effect.
            JenkinsClient.Response admin = jenkins.post(configPath, "application/xml; charset=UTF-8", toB);
            leaks.scan(r, "administrator config.xml POST", admin.body());
            if (!admin.ok()) {
                r.problem("the administrator's config.xml POST answered HTTP " + admin.status());
            }
            expectProbe(r, "after the administrator changed the store", "B");
        } finally {
            String restored = jenkins.script(restore(saved.substring("STRATEGY\t".length()), List.of(XML_FOLDER),
                    EDITOR));
            if (!restored.contains("RESTORED")) {
                r.problem("restoring the authorization strategy failed: " + JenkinsClient.abbreviate(restored));
            }
        }
    }

    private String editorConfig(CaseResult r, JenkinsClient editor, String path) throws IOException {
        JenkinsClient.Response page = editor.get(path);
        leaks.scan(r, EDITOR + " GET " + path, page.body());
        if (page.status() != 200) {
            r.problem(path + " answered " + EDITOR + " HTTP " + page.status() + ", expected 200");
            return null;
        }
        return page.body();
    }

    private void postConfig(CaseResult r, JenkinsClient client, String path, String xml, String who)
            throws IOException {
        JenkinsClient.Response response = client.post(path, "application/xml; charset=UTF-8", xml);
        leaks.scan(r, who + " POST " + path, response.body());
        r.note(who + ": POST " + path + " answered HTTP " + response.status());
        if (!response.ok()) {
            r.problem(who + ": POST " + path + " answered HTTP " + response.status() + ", expected 200");
        }
    }

    private static String withDescription(String xml, String description) {
        String element = "<description>" + description + "</description>";
        if (xml.matches("(?s).*<description>.*?</description>.*")) {
            return xml.replaceFirst("(?s)<description>.*?</description>", element);
        }
        if (xml.contains("<description/>")) {
            return xml.replace("<description/>", element);
        }
        return xml.replaceFirst("(<com\\.cloudbees\\.hudson\\.plugins\\.folder\\.Folder[^>]*>)", "$1" + element);
    }

    /**
     * Builds the folder's probe job; a problem unless it reports {@code want} (A, B or ERROR). Returns the error
     * message for ERROR, else the outcome, or {@code null} when the build did not run.
     */
    private String expectProbe(CaseResult r, String when, String want) throws IOException {
        String job = XML_FOLDER + "/probe";
        ScriptBuild build = ScriptBuild.run(jenkins, leaks, r, job, when);
        if (build == null) {
            return null;
        }
        String console = build.console();
        Matcher probe = Pattern.compile("(?m)^probe = (.*)$").matcher(console);
        String got = probe.find() ? probe.group(1).strip() : "nothing";
        String outcome = got.startsWith("ERROR") ? "ERROR" : got;
        if (!outcome.equals(want)) {
            r.problem(when + ": " + job + " #" + build.number() + " read " + JenkinsClient.abbreviate(got)
                    + ", expected " + want);
        } else {
            r.note(when + ": " + job + " #" + build.number() + " -> " + JenkinsClient.abbreviate(got));
        }
        return got.startsWith("ERROR") ? got : outcome;
    }

    private String xmlSetUp(String script) throws IOException {
        return """
                import com.cloudbees.hudson.plugins.folder.Folder
                import com.cloudbees.plugins.credentials.*
                import com.cloudbees.plugins.credentials.domains.Domain
                import hudson.security.ProjectMatrixAuthorizationStrategy
                import io.jenkins.plugins.kmssecrets.jenkins.config.*
                import jenkins.model.Jenkins
                import org.jenkinsci.plugins.matrixauth.PermissionEntry
                import org.jenkinsci.plugins.workflow.job.WorkflowJob
                import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition
                def j = Jenkins.get()
                j.getItem('%1$s')?.delete()
                hudson.model.User.getById('%2$s', false)?.delete() // left by an interrupted run
                def user = j.securityRealm.createAccount('%2$s', 'pw-' + UUID.randomUUID())
                def token = user.getProperty(jenkins.security.ApiTokenProperty).tokenStore.generateNewToken('kms-e2e').plainValue
                user.save()
                def strategy = new ProjectMatrixAuthorizationStrategy()
                strategy.add(Jenkins.ADMINISTER, PermissionEntry.user(Jenkins.getAuthentication2().name))
                strategy.add(Jenkins.READ, PermissionEntry.user('%2$s'))
                j.authorizationStrategy = strategy
                j.save()
                def f = j.createProject(Folder, '%1$s')
                def store = CredentialsProvider.lookupStores(f).find { it.context == f && it.getClass().name.contains('FolderCredentialsProvider') }
                store.addCredentials(Domain.global(), new org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl(
                    CredentialsScope.GLOBAL, '%3$s', 'kms-e2e: Vault token of the config.xml folder', hudson.util.Secret.fromString(%4$s)))
                def v = new VaultStoreConfig('xml', '%5$s'); v.mount = 'xml-a'; v.signIn = new VaultSignIn.Token('%3$s')
                def p = new KmsFolderProperty(); p.stores = [v]; f.addProperty(p)
                def matrix = new com.cloudbees.hudson.plugins.folder.properties.AuthorizationMatrixProperty([])
                matrix.add(hudson.model.Item.READ, PermissionEntry.user('%2$s'))
                matrix.add(hudson.model.Item.CONFIGURE, PermissionEntry.user('%2$s'))
                f.addProperty(matrix)
                def job = f.createProject(WorkflowJob, 'probe')
                job.definition = new CpsFlowDefinition(%6$s, false)
                job.save()
                println 'TOKEN\\t' + token
                println 'XML-READY'
                """.formatted(XML_FOLDER, EDITOR, XML_TOKEN_CREDENTIAL, Groovy.str(servers.vaultToken()),
                servers.vault().address().toString(), Groovy.str(script));
    }

    // ---- proxy and CA file -----------------------------------------------------------------------------------------

    static final String PROXY_FOLDER = "kms-e2e-proxy";
    static final String PROXY_SECRET = "px-secret";
    static final String PROXY_VALUE = "ProxyTls-" + random();
    static final String PROXY_USER = "kms-e2e-proxy-user";
    static final String PROXY_PASSWORD = "proxy-pw-" + random();
    static final String CA_FILE = "kms-e2e/separate-ca.pem";
    private static final String PROXY_TOKEN_CREDENTIAL = "kms-e2e-proxy-token";
    static final String PROXY_AKV_CLIENT_SECRET = "akv-px-" + random();
    private static final String PROXY_AKV_CLIENT = "0c0ffee0-e2e0-4000-8000-00000000e2e1";
    private static final String PROXY_AKV_CREDENTIAL = "kms-e2e-proxy-akv-secret";
    private static final String PROXY_GSM_CREDENTIAL = "kms-e2e-proxy-gsm-key";
    static final String PROXY_GSM_PROJECT = "kms-e2e-proxy";
    /** The private key of the proxy folder's Google service account, new for the run (PEM, PKCS#8). */
    static final String PROXY_GSM_PRIVATE_KEY = rsaPrivateKeyPem();
    private static final List<String> PROBED = List.of("px-proxied", "px-direct", "px-noproxy", "px-no-ca-file",
            "px-akv", "px-akv-no-ca-file", "px-gsm", "px-gsm-no-ca-file");

    private static final String PROXY_PROBE = """
            def h(String s) { java.security.MessageDigest.getInstance('SHA-256').digest(s.getBytes('UTF-8')).encodeHex().toString() }
            def probe(String store) {
              try {
                withKmsSecrets(secrets: [[env: 'W', ref: store + ':%s' + (store.startsWith('px-akv') || store.startsWith('px-gsm') ? '' : '#value')]]) {
                  echo "probe ${store} = " + (h(env.W) == '%s' ? 'OK' : 'OTHER')
                  echo "probe ${store} masked [${env.W}]"
                }
              } catch (e) { echo "probe ${store} = ERROR " + e.message }
            }
            %s.each { probe(it) }
            """;

    /** Prints "PROXY TAB base64 of proxy.xml" (or NONE), for {@link #restoreProxy}. */
    private static final String SAVE_PROXY = """
            def f = new File(jenkins.model.Jenkins.get().rootDir, 'proxy.xml')
            println('PROXY\\t' + (f.exists() ? f.bytes.encodeBase64().toString() : 'NONE'))
            """;

    private static String restoreProxy(String saved) {
        return """
                def j = jenkins.model.Jenkins.get()
                def f = new File(j.rootDir, 'proxy.xml')
                def saved = '%s'
                if (saved == 'NONE') { f.delete(); j.proxy = null } else { f.bytes = saved.decodeBase64(); j.proxy = hudson.ProxyConfiguration.load() }
                j.getItem('%s')?.delete()
                new File(j.rootDir, '%s').delete()
                println('PROXY-RESTORED ' + (j.proxy?.name ?: 'none'))
                """.formatted(saved, PROXY_FOLDER, CA_FILE);
    }

    private static String setProxy(int port, boolean withUser) {
        return """
                def j = jenkins.model.Jenkins.get()
                j.proxy = new hudson.ProxyConfiguration('127.0.0.1', %d, %s, %s, '127.0.0.1')
                j.proxy.save()
                // The folder's stores read Jenkins' proxy when they are built: build them again.
                def p = j.getItem('%s')?.properties?.get(io.jenkins.plugins.kmssecrets.jenkins.config.KmsFolderProperty)
                if (p != null) { p.stores = p.stores }
                println('PROXY-SET ' + j.proxy.name + ':' + j.proxy.port)
                """.formatted(port, withUser ? "'" + PROXY_USER + "'" : "null",
                withUser ? Groovy.str(PROXY_PASSWORD) : "null", PROXY_FOLDER);
    }

    private void proxyCaFile(CaseResult r) throws IOException {
        String ready = jenkins.script("""
                println(jenkins.model.Jenkins.get().pluginManager.getPlugin('cloudbees-folder')?.isActive() ? 'READY' : 'SKIP')
                """).strip();
        if (!ready.equals("READY")) {
            r.skip("the cloudbees-folder plugin is not installed");
            return;
        }
        SeparateCertificate certificate = SeparateCertificate.generate();
        String saved = jenkins.script(SAVE_PROXY).strip();
        if (!saved.startsWith("PROXY\t")) {
            r.problem("reading Jenkins' proxy configuration failed: " + JenkinsClient.abbreviate(saved));
            return;
        }
        try (FakeVault tunnelled = FakeVault.startTls(Clock.systemUTC(), certificate.serverContext());
                FakeVault direct = FakeVault.startTls(Clock.systemUTC(), certificate.serverContext());
                FakeKeyVaultServer keyVault = FakeKeyVaultServer.start(certificate.serverContext());
                FakeEntraAuthority authority = FakeEntraAuthority.start(certificate.serverContext());
                FakeSecretManager gsm = FakeSecretManager.startTls(PROXY_GSM_PROJECT, certificate.serverContext());
                ConnectProxy proxy = ConnectProxy.start().loopback(FrontDoor.VAULT_HOST)) {
            gsm.requireBearer("fake-access-token");
            gsm.secret(PROXY_SECRET, Map.of());
            gsm.addVersion(PROXY_SECRET, PROXY_VALUE);
            int gsmPort = java.net.URI.create(gsm.endpoint()).getPort();
            keyVault.put(PROXY_SECRET, PROXY_VALUE, Instant.now());
            authority.clientSecret(FakeKeyVaultServer.TENANT, PROXY_AKV_CLIENT, PROXY_AKV_CLIENT_SECRET);
            int keyVaultPort = keyVault.vaultUrl().getPort();
            int authorityPort = authority.authorityHost().getPort();
            String token = servers.vaultToken();
            for (FakeVault vault : List.of(tunnelled, direct)) {
                vault.token(token, Duration.ZERO, false, "*:read,list");
                seedMount(vault, "proxy", PROXY_SECRET, PROXY_VALUE);
            }
            int tunnelledPort = tunnelled.address().getPort();
            int directPort = direct.address().getPort();
            jenkins.script(Groovy.writeControllerFile(CA_FILE,
                    certificate.certificatePem().getBytes(StandardCharsets.US_ASCII)));
            String probe = PROXY_PROBE.formatted(PROXY_SECRET, ScopeChecks.sha256(PROXY_VALUE),
                    "['" + String.join("', '", PROBED) + "']");
            String approved = jenkins.script(Groovy.preapprove(probe));
            String setUp = jenkins.script(proxySetUp(probe, tunnelledPort, directPort, keyVaultPort, authorityPort,
                    gsmPort));
            if (!approved.contains("OK") || !setUp.contains("PROXY-READY")) {
                r.problem("setting up the proxy folder failed: " + JenkinsClient.abbreviate(approved + " " + setUp));
                return;
            }
            expectProxySet(r, jenkins.script(setProxy(proxy.port(), false)));
            Map<String, String> seen = runProbe(r, "without proxy authentication");
            String tunnel = "localhost:" + tunnelledPort;
            expectProbe(r, seen, "px-proxied", "OK");
            expectProbe(r, seen, "px-direct", "OK");
            expectProbe(r, seen, "px-noproxy", "OK");
            String noCa = seen.getOrDefault("px-no-ca-file", "");
            if (!noCa.startsWith("ERROR") || !noCa.contains("px-no-ca-file") || !noCa.contains("not trusted")
                    || !noCa.contains("caCertFile")) {
                r.problem("px-no-ca-file (no caCertFile) should fail with a trust error naming the store and "
                        + "caCertFile, gave: " + noCa);
            }
            r.note("px-no-ca-file: " + noCa);
            // Azure Key Vault: the vault (its cloud host name, which the proxy resolves) and the sign-in authority
            // (authorityHost) both present the separate certificate; one store trusts it through caCertFile.
            expectProbe(r, seen, "px-akv", "OK");
            String akvNoCa = seen.getOrDefault("px-akv-no-ca-file", "");
            if (!akvNoCa.startsWith("ERROR") || !akvNoCa.contains("px-akv-no-ca-file")
                    || !akvNoCa.contains("not trusted") || !akvNoCa.contains("caCertFile")) {
                r.problem("px-akv-no-ca-file (no caCertFile) should fail with a trust error naming the store and "
                        + "caCertFile, gave: " + akvNoCa);
            }
            r.note("px-akv-no-ca-file: " + akvNoCa);
            r.note("Key Vault: " + authority.tokenRequests() + " token request(s), " + keyVault.valueReads()
                    + " value read(s)");
            // Google Secret Manager: the API (endpoint) and the token endpoint of the service-account key (token_uri),
            // one fake presenting the separate certificate.
            expectProbe(r, seen, "px-gsm", "OK");
            String gsmNoCa = seen.getOrDefault("px-gsm-no-ca-file", "");
            if (!gsmNoCa.startsWith("ERROR") || !gsmNoCa.contains("px-gsm-no-ca-file")
                    || !gsmNoCa.contains("not trusted") || !gsmNoCa.contains("caCertFile")) {
                r.problem("px-gsm-no-ca-file (no caCertFile) should fail with a trust error naming the store and "
                        + "caCertFile, gave: " + gsmNoCa);
            }
            r.note("px-gsm-no-ca-file: " + gsmNoCa);
            int gsmTokens = gsm.calls(FakeSecretManager.TOKEN);
            int gsmReads = gsm.calls(FakeSecretManager.ACCESS_SECRET_VERSION);
            r.note("Secret Manager: " + gsmTokens + " token request(s), " + gsmReads + " value read(s)");
            if (gsmTokens == 0 || gsmReads == 0) {
                r.problem("px-gsm: the separate token endpoint (" + gsmTokens + " requests) and API (" + gsmReads
                        + " value reads) should both have been used");
            }
            if (!proxy.connects().contains("localhost:" + gsmPort)) {
                r.problem("the proxy saw no CONNECT to localhost:" + gsmPort + " (px-gsm): " + proxy.connects());
            }
            if (authority.tokenRequests() == 0 || keyVault.valueReads() == 0) {
                r.problem("px-akv: the separate authority (" + authority.tokenRequests() + " token requests) and "
                        + "vault (" + keyVault.valueReads() + " value reads) should both have been used");
            }
            List<String> connects = proxy.connects();
            r.note("CONNECT targets: " + connects);
            if (!connects.contains(tunnel)) {
                r.problem("the proxy saw no CONNECT to " + tunnel + " (px-proxied): " + connects);
            }
            for (String target : List.of(FrontDoor.VAULT_HOST + ":" + keyVaultPort, "localhost:" + authorityPort)) {
                if (!connects.contains(target)) {
                    r.problem("the proxy saw no CONNECT to " + target + " (px-akv): " + connects);
                }
            }
            if (connects.contains("localhost:" + directPort)) {
                r.problem("px-direct (directConnection) went through the proxy: " + connects);
            }
            if (connects.stream().anyMatch(c -> c.startsWith("127.0.0.1:"))) {
                r.problem("px-noproxy (127.0.0.1 is a no-proxy host) went through the proxy: " + connects);
            }
            proxyAuthentication(r, proxy, tunnel);
        } finally {
            String restored = jenkins.script(restoreProxy(saved.substring("PROXY\t".length())));
            if (!restored.contains("PROXY-RESTORED")) {
                r.problem("restoring Jenkins' proxy configuration failed: " + JenkinsClient.abbreviate(restored));
            }
        }
    }

    /** Basic proxy authentication through the tunnel: works only with the JDK's tunnelling restriction lifted. */
    private void proxyAuthentication(CaseResult r, ConnectProxy proxy, String tunnel) throws IOException {
        String option = jenkins.script("""
                def v = System.getProperty('jdk.http.auth.tunneling.disabledSchemes')
                println(v == null ? 'UNSET' : (v.trim().isEmpty() ? 'EMPTY' : 'SET'))
                """).strip();
        proxy.requireBasic(PROXY_USER, PROXY_PASSWORD);
        int before = proxy.connects().size();
        expectProxySet(r, jenkins.script(setProxy(proxy.port(), true)));
        Map<String, String> seen = runProbe(r, "with Basic proxy authentication");
        String got = seen.getOrDefault("px-proxied", "");
        if (option.equals("EMPTY")) {
            r.note("Basic proxy authentication: the JVM allows Basic for tunnels; " + proxy.challenges()
                    + " challenge(s)");
            if (!got.equals("OK") || proxy.challenges() == 0
                    || !proxy.connects().subList(before, proxy.connects().size()).contains(tunnel)) {
                r.problem("px-proxied through a proxy asking for Basic authentication gave " + got + " ("
                        + proxy.challenges() + " challenges)");
            }
        } else {
            r.note("Basic proxy authentication: the Jenkins JVM runs without -Djdk.http.auth.tunneling."
                    + "disabledSchemes= (" + option + "), so the JDK does not answer the proxy's challenge");
            r.note("px-proxied: " + got);
            if (!got.startsWith("ERROR") || !got.contains("407") || !got.contains("jdk.http.auth.tunneling")) {
                r.problem("px-proxied through a proxy asking for Basic authentication (JDK tunnelling restriction "
                        + "in force) should fail naming HTTP 407 and the JVM option, gave: " + got);
            }
        }
        String gsm = seen.getOrDefault("px-gsm", "");
        r.note("px-gsm with Basic proxy authentication: " + gsm);
        if (option.equals("EMPTY")) {
            expectProbe(r, seen, "px-gsm", "OK");
        } else if (!gsm.startsWith("ERROR") || !gsm.contains("407") || !gsm.contains("jdk.http.auth.tunneling")) {
            r.problem("px-gsm through a proxy asking for Basic authentication (JDK tunnelling restriction in force) "
                    + "should fail naming HTTP 407 and the JVM option, gave: " + gsm);
        }
        String akv = seen.getOrDefault("px-akv", "");
        r.note("px-akv with Basic proxy authentication: " + akv);
        if (option.equals("EMPTY")) {
            expectProbe(r, seen, "px-akv", "OK");
        } else if (!akv.startsWith("ERROR") || !akv.contains("407") || !akv.contains("jdk.http.auth.tunneling")) {
            r.problem("px-akv through a proxy asking for Basic authentication (JDK tunnelling restriction in force) "
                    + "should fail naming HTTP 407 and the JVM option, gave: " + akv);
        }
        expectProbe(r, seen, "px-direct", "OK");
        expectProbe(r, seen, "px-noproxy", "OK");
    }

    private static void expectProxySet(CaseResult r, String out) {
        if (!out.contains("PROXY-SET")) {
            r.problem("setting Jenkins' proxy failed: " + JenkinsClient.abbreviate(out));
        }
    }

    private static void expectProbe(CaseResult r, Map<String, String> seen, String store, String want) {
        String got = seen.get(store);
        if (!want.equals(got)) {
            r.problem(store + " gave " + got + ", expected " + want);
        }
    }

    /** Builds the probe job; returns store to outcome (OK, OTHER, or ERROR and the message). */
    private Map<String, String> runProbe(CaseResult r, String when) throws IOException {
        Map<String, String> seen = new LinkedHashMap<>();
        String job = PROXY_FOLDER + "/probe";
        ScriptBuild build = ScriptBuild.run(jenkins, leaks, r, job, when);
        if (build == null) {
            return seen;
        }
        String console = build.console();
        if (!build.result().equals("SUCCESS")) {
            r.problem(when + ": " + job + " #" + build.number() + " ended " + build.result());
        }
        Matcher probe = Pattern.compile("(?m)^probe (\\S+) = (.*)$").matcher(console);
        while (probe.find()) {
            seen.put(probe.group(1), probe.group(2).strip());
        }
        for (String store : PROBED) {
            if ("OK".equals(seen.get(store)) && !console.contains("probe " + store + " masked [****]")) {
                r.problem(when + ": " + store + "'s value is not masked in the console");
            }
        }
        return seen;
    }

    private String proxySetUp(String script, int tunnelledPort, int directPort, int keyVaultPort, int authorityPort,
            int gsmPort) throws IOException {
        return """
                import com.cloudbees.hudson.plugins.folder.Folder
                import com.cloudbees.plugins.credentials.*
                import com.cloudbees.plugins.credentials.domains.Domain
                import io.jenkins.plugins.kmssecrets.jenkins.config.*
                import org.jenkinsci.plugins.workflow.job.WorkflowJob
                import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition
                def j = jenkins.model.Jenkins.get()
                j.getItem('%1$s')?.delete()
                def f = j.createProject(Folder, '%1$s')
                def store = CredentialsProvider.lookupStores(f).find { it.context == f && it.getClass().name.contains('FolderCredentialsProvider') }
                store.addCredentials(Domain.global(), new org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl(
                    CredentialsScope.GLOBAL, '%2$s', 'kms-e2e: Vault token of the proxy folder', hudson.util.Secret.fromString(%3$s)))
                store.addCredentials(Domain.global(), new org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl(
                    CredentialsScope.GLOBAL, '%8$s', 'kms-e2e: Entra client secret of the proxy folder', hudson.util.Secret.fromString(%9$s)))
                store.addCredentials(Domain.global(), new org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl(
                    CredentialsScope.GLOBAL, '%15$s', 'kms-e2e: Google key of the proxy folder', hudson.util.Secret.fromString(%16$s)))
                def vault = { id, address, ca, direct ->
                  def v = new VaultStoreConfig(id, address); v.mount = 'proxy'; v.signIn = new VaultSignIn.Token('%2$s')
                  v.caCertFile = ca; v.directConnection = direct; v
                }
                def akv = { id, ca ->
                  def a = new AzureKeyVaultStoreConfig(id, 'https://%10$s:%11$d/'); a.authorityHost = 'https://localhost:%12$d/'
                  a.signIn = new AzureSignIn.ClientSecret('%13$s', '%14$s', '%8$s'); a.caCertFile = ca; a
                }
                def gsm = { id, ca ->
                  def g = new GoogleSecretManagerStoreConfig(id, '%17$s'); g.endpoint = 'https://localhost:%18$d'
                  g.signIn = new GoogleSignIn.CredentialJson('%15$s'); g.caCertFile = ca; g
                }
                def p = new KmsFolderProperty()
                p.stores = [vault('px-proxied', 'https://localhost:%4$d', '%5$s', false),
                            vault('px-direct', 'https://localhost:%6$d', '%5$s', true),
                            vault('px-noproxy', 'https://127.0.0.1:%4$d', '%5$s', false),
                            vault('px-no-ca-file', 'https://localhost:%4$d', null, false),
                            akv('px-akv', '%5$s'), akv('px-akv-no-ca-file', null),
                            gsm('px-gsm', '%5$s'), gsm('px-gsm-no-ca-file', null)]
                f.addProperty(p)
                def job = f.createProject(WorkflowJob, 'probe')
                job.definition = new CpsFlowDefinition(%7$s, false)
                job.save()
                println 'PROXY-READY'
                """.formatted(PROXY_FOLDER, PROXY_TOKEN_CREDENTIAL, Groovy.str(servers.vaultToken()), tunnelledPort,
                CA_FILE, directPort, Groovy.str(script), PROXY_AKV_CREDENTIAL, Groovy.str(PROXY_AKV_CLIENT_SECRET),
                FrontDoor.VAULT_HOST, keyVaultPort, authorityPort, FakeKeyVaultServer.TENANT, PROXY_AKV_CLIENT,
                PROXY_GSM_CREDENTIAL, Groovy.str(googleKey("https://localhost:" + gsmPort + "/token")), PROXY_GSM_PROJECT,
                gsmPort);
    }

    // ---- folder runtime lifecycle ---------------------------------------------------------------------------------

    static final String RUNTIME_FOLDER = "kms-e2e-runtime";

    /** Prints "step TAB closed-or-open" for the runtime replaced at each step. */
    private String runtimeLifecycle() {
        return """
                import com.cloudbees.hudson.plugins.folder.Folder
                import io.jenkins.plugins.kmssecrets.jenkins.config.*
                def j = jenkins.model.Jenkins.get()
                j.getItem('%1$s')?.delete()
                def f = j.createProject(Folder, '%1$s')
                def property = {
                  def v = new VaultStoreConfig('rt', '%2$s'); v.signIn = new VaultSignIn.Token('kms-e2e-vault-token')
                  def p = new KmsFolderProperty(); p.stores = [v]; p
                }
                def state = { rt -> rt.@refreshThreads.isShutdown() ? 'closed' : 'open' }
                f.addProperty(property())
                def rt = f.properties.get(KmsFolderProperty).runtime()
                println('built\\t' + state(rt))
                f.properties.replace(property()); f.save()
                println('save\\t' + state(rt))
                rt = f.properties.get(KmsFolderProperty).runtime()
                f.updateByXml(new javax.xml.transform.stream.StreamSource(new StringReader(f.configFile.asString())))
                println('config.xml\\t' + state(rt))
                rt = f.properties.get(KmsFolderProperty).runtime()
                f.delete()
                println('delete\\t' + state(rt))
                """.formatted(RUNTIME_FOLDER, servers.vault().address());
    }

    private void folderRuntimeClosed(CaseResult r) throws IOException {
        if (servers.vault() == null) {
            r.skip("the Vault store is not part of this run");
            return;
        }
        String ready = jenkins.script("""
                println(jenkins.model.Jenkins.get().pluginManager.getPlugin('cloudbees-folder')?.isActive() ? 'READY' : 'SKIP')
                """).strip();
        if (!ready.equals("READY")) {
            r.skip("the cloudbees-folder plugin is not installed");
            return;
        }
        String out;
        try {
            out = jenkins.script(runtimeLifecycle());
        } finally {
            jenkins.script("jenkins.model.Jenkins.get().getItem('" + RUNTIME_FOLDER + "')?.delete()\nprintln 'OK'\n");
        }
        Map<String, String> seen = new LinkedHashMap<>();
        Matcher line = Pattern.compile("(?m)^([\\w.]+)\\t(\\w+)$").matcher(out);
        while (line.find()) {
            seen.put(line.group(1), line.group(2));
        }
        Map<String, String> want = new LinkedHashMap<>();
        want.put("built", "open");
        want.put("save", "closed");
        want.put("config.xml", "closed");
        want.put("delete", "closed");
        for (Map.Entry<String, String> step : want.entrySet()) {
            if (!step.getValue().equals(seen.get(step.getKey()))) {
                r.problem("folder runtime after " + step.getKey() + ": " + seen.get(step.getKey()) + ", expected "
                        + step.getValue() + (seen.isEmpty() ? " (" + JenkinsClient.abbreviate(out) + ")" : ""));
            }
        }
    }

    private static String rsaPrivateKeyPem() {
        try {
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                    .encodeToString(generator.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("could not generate the proxy folder's Google key", e);
        }
    }

    /** The proxy folder's service-account key (JSON), signing in at {@code tokenUri}. */
    private static String googleKey(String tokenUri) throws IOException {
        Map<String, String> key = new LinkedHashMap<>();
        key.put("type", "service_account");
        key.put("project_id", PROXY_GSM_PROJECT);
        key.put("private_key_id", "fedcba9876543210fedcba9876543210fedcba98");
        key.put("private_key", PROXY_GSM_PRIVATE_KEY);
        key.put("client_email", "kms-e2e-proxy@" + PROXY_GSM_PROJECT + ".iam.gserviceaccount.com");
        key.put("client_id", "100000000000000000002");
        key.put("token_uri", tokenUri);
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(key);
    }

    private static String random() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
