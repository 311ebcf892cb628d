package io.jenkins.plugins.kmssecrets.e2e;

import io.jenkins.plugins.kmssecrets.testing.vault.FakeVault;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
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
 *       credential drop-down of a store form in A and at the root). The authorization strategy the runner found is
 *       restored afterwards, also when the case fails, and the user is deleted.</li>
 * </ul>
 */
final class AccessChecks {

    static final List<String> NAMES = List.of("folder-permissions");

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
        return values;
    }

    void run(String name, CaseResult r) throws IOException {
        switch (name) {
            case "folder-permissions" -> folderPermissions(r);
            default -> throw new IllegalArgumentException(name);
        }
    }

    private void scan(CaseResult r, String source, String text) {
        long files = leaks.filesScanned();
        long bytes = leaks.bytesScanned();
        r.leaks(leaks.scan(source, text));
        r.scanned(leaks.filesScanned() - files, leaks.bytesScanned() - bytes);
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
            List<String> fetched = new ArrayList<>();
            // Item/Read alone on A.
            expectStatus(r, reader, fetched, "job/" + FOLDER_A + "/", 200);
            expectStatus(r, reader, fetched, "job/" + FOLDER_A + "/credentials/", 403);
            hiddenB(r, reader, fetched, "Item/Read only");
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

    /** Folder B and everything that could list its ids, as the reader. */
    private void hiddenB(CaseResult r, JenkinsClient reader, List<String> fetched, String when) throws IOException {
        String credentialsFill = "descriptorByName/io.jenkins.plugins.kmssecrets.jenkins.config.VaultStoreConfig/"
                + "fillCredentialsIdItems";
        for (String path : List.of("job/" + FOLDER_B + "/", "job/" + FOLDER_B + "/credentials/",
                "job/" + FOLDER_B + "/credentials/api/json?depth=5", "job/" + FOLDER_B + "/api/json?depth=2",
                "job/" + FOLDER_B + "/" + credentialsFill)) {
            JenkinsClient.Response page = reader.get(path);
            scan(r, READER + " " + path, page.body());
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
            scan(r, READER + " " + path, page.body());
            fetched.add(page.body());
        }
    }

    private String expectStatus(CaseResult r, JenkinsClient client, List<String> fetched, String path, int status)
            throws IOException {
        JenkinsClient.Response page = client.get(path);
        scan(r, READER + " " + path, page.body());
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
        return """
                def j = jenkins.model.Jenkins.get()
                j.authorizationStrategy = jenkins.model.Jenkins.XSTREAM2.fromXML(new String('%4$s'.decodeBase64(), 'UTF-8'))
                j.save()
                ['%1$s', '%2$s'].each { j.getItem(it)?.delete() }
                hudson.model.User.getById('%3$s', false)?.delete()
                println 'RESTORED ' + j.authorizationStrategy.getClass().simpleName
                """.formatted(FOLDER_A, FOLDER_B, READER, strategyBase64);
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
                  def v = new VaultStoreConfig('perm', '%6$s'); v.mount = mount; v.authMethod = 'token'; v.credentialsId = '%5$s'; v
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

    private static String random() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
