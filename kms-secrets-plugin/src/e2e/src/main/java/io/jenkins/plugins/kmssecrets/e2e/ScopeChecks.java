package io.jenkins.plugins.kmssecrets.e2e;

import io.jenkins.plugins.kmssecrets.testing.vault.FakeVault;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scope cases (issue 18 §1 and §2), run with the configuration checks against the Vault store:
 * <ul>
 *   <li>{@code folder-stores}: folders {@value #FOLDER_A} (with a sub-folder) and {@value #FOLDER_B} each configure a
 *       store {@code team} on their own Vault mount, where secret {@code shared-db} has a different value; folder B
 *       also configures a store {@code e2e-vault}, shadowing the global store of that id. One probe pipeline, run in
 *       each folder, the sub-folder and at the root, reads every id by {@code withCredentials} and every reference by
 *       {@code withKmsSecrets} and prints which value it got (A, B, another one, or none), never the value. Each job
 *       sees only its own folder's (and enclosing folders') stores; the global lookup sees neither; each folder's
 *       credentials page lists only its own secrets; the consoles, build directories and pages are leak-checked.</li>
 *   <li>{@code folder-rotation}: folder {@value #ROT_FOLDER} configures two Vault stores on mount {@code folder-rot}
 *       (a token that may update it): {@code rot-locked} (default: no rotation) and {@code e2e-vault} with
 *       {@code allowRotation}, shadowing the global {@code e2e-vault}, which has none. A job in the folder plans a
 *       rotation of {@code rot-locked} (allowed), is refused the write there with the message naming the folder, and
 *       rotates through the folder's {@code e2e-vault}: the folder's store decides, and the backend received exactly
 *       one write.</li>
 *   <li>{@code casc-secret-source}: JCasC {@code ${kms:e2e-vault/e2e-password#value}} becomes a credential holding
 *       the secret; a reference to a missing secret fails the configuration naming the reference and creates no
 *       credential; the export holds no value; and a {@code jenkins.yaml} in JENKINS_HOME that defines a store and
 *       uses it in the same file (a SOPS store signing in with an age key file) resolves on a JCasC reload.</li>
 *   <li>{@code store-reload} (issue 18 §4): the Vault store's "Test connection" outcome is kept on the store page
 *       with its time; the store page's Reload (a POST; a GET is refused) lists every store again and shows the
 *       result per store; with the Vault backend down, a reload reports that store's failure and keeps its
 *       credentials (last-known-good).</li>
 * </ul>
 */
final class ScopeChecks {

    static final List<String> NAMES = List.of("folder-stores", "folder-rotation", "casc-secret-source",
            "store-reload");

    static final String FOLDER_A = "kms-e2e-fa";
    static final String FOLDER_B = "kms-e2e-fb";
    static final String OUTSIDE = "kms-e2e-outside";
    static final String FOLDER_TOKEN = "kms-e2e-folder-token";

    /** Values of the folders' {@code shared-db} secrets; searched for by the leak checker. */
    static final String VALUE_A = "FolderA-" + random();
    static final String VALUE_B = "FolderB-" + random();
    static final String VALUE_ONLY_A = "OnlyA-" + random();
    static final String VALUE_ONLY_B = "OnlyB-" + random();
    static final String ROT_FOLDER = "kms-e2e-rot";
    static final String ROT_CREDENTIAL = "kms-e2e-rot-token";
    /** The value of the rotated secret before the rotation, and the Vault token that may update its mount. */
    static final String VALUE_ROT = "Rot-" + random();
    static final String ROT_TOKEN = "hvs.e2erot" + random();
    static final String BOOT_AGE_KEY_FILE = "kms-e2e/boot-age.key";

    private static final String PROBE = """
            def h(String s) { java.security.MessageDigest.getInstance('SHA-256').digest(s.getBytes('UTF-8')).encodeHex().toString() }
            def label(String v) { def x = h(v); x == '%s' ? 'A' : (x == '%s' ? 'B' : 'OTHER') }
            def cred(String id) {
              try { withCredentials([string(credentialsId: id, variable: 'V')]) { echo "probe cred ${id} = " + label(env.V) } }
              catch (e) { echo "probe cred ${id} = MISSING" }
            }
            def kms(String ref) {
              try { withKmsSecrets(secrets: [[env: 'W', ref: ref]]) { echo "probe kms ${ref} = " + label(env.W) } }
              catch (e) { echo "probe kms ${ref} = MISSING" }
            }
            cred('team.shared-db'); cred('team.only-a'); cred('team.only-b'); cred('e2e-vault.shared-db')
            kms('team:shared-db#value'); kms('e2e-vault:shared-db#value'); kms('e2e-vault:e2e-password#value')
            """;

    private final JenkinsClient jenkins;
    private final LeakChecker leaks;
    private final FakeServers servers;
    private final String cascYaml;
    private final String vaultPassword;
    private final String sopsPassword;
    private final String credentialsScript;

    /**
     * @param credentialsScript re-creates the suite's System credentials: applying a {@code credentials:} section
     *                          replaces them all
     */
    ScopeChecks(JenkinsClient jenkins, LeakChecker leaks, FakeServers servers, String cascYaml, String vaultPassword,
            String sopsPassword, String credentialsScript) {
        this.credentialsScript = credentialsScript;
        this.jenkins = jenkins;
        this.leaks = leaks;
        this.servers = servers;
        this.cascYaml = cascYaml;
        this.vaultPassword = vaultPassword;
        this.sopsPassword = sopsPassword;
    }

    /** The values the leak checker must search for besides the corpus. */
    static Map<String, String> values() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("folder-a:shared-db", VALUE_A);
        values.put("folder-b:shared-db", VALUE_B);
        values.put("folder-a:only-a", VALUE_ONLY_A);
        values.put("folder-b:only-b", VALUE_ONLY_B);
        values.put("folder-rot:db", VALUE_ROT);
        values.put("auth:folder-rot-token", ROT_TOKEN);
        return values;
    }

    void run(String name, CaseResult r) throws IOException {
        if (servers.vault() == null) {
            r.skip("the Vault store is not part of this run");
            return;
        }
        switch (name) {
            case "folder-stores" -> folderStores(r);
            case "folder-rotation" -> folderRotation(r);
            case "casc-secret-source" -> cascSecretSource(r);
            case "store-reload" -> storeReload(r);
            default -> throw new IllegalArgumentException(name);
        }
    }

    // ---- folders --------------------------------------------------------------------------------------------------

    private void seedVault() {
        FakeVault vault = servers.vault();
        seedMount(vault, "folder-a", Map.of("shared-db", VALUE_A, "only-a", VALUE_ONLY_A));
        seedMount(vault, "folder-b", Map.of("shared-db", VALUE_B, "only-b", VALUE_ONLY_B));
    }

    private static void seedMount(FakeVault vault, String mount, Map<String, String> secrets) {
        vault.mount(mount, 2);
        for (Map.Entry<String, String> secret : secrets.entrySet()) {
            vault.put(mount, secret.getKey(), Map.of("value", secret.getValue()));
            Map<String, String> metadata = new TreeMap<>();
            metadata.put("jenkins-credentials-type", "string");
            metadata.put("jenkins-credentials-property", "value");
            vault.customMetadata(mount, secret.getKey(), metadata);
        }
    }

    /** Expected probe outcomes per job: "cred id" or "kms ref" to A, B, OTHER (another value) or MISSING. */
    private static Map<String, Map<String, String>> expected() {
        Map<String, String> inA = new LinkedHashMap<>();
        inA.put("cred team.shared-db", "A");
        inA.put("cred team.only-a", "OTHER");
        inA.put("cred team.only-b", "MISSING");
        inA.put("cred e2e-vault.shared-db", "MISSING");
        inA.put("kms team:shared-db#value", "A");
        inA.put("kms e2e-vault:shared-db#value", "MISSING");
        inA.put("kms e2e-vault:e2e-password#value", "OTHER");
        Map<String, String> inB = new LinkedHashMap<>();
        inB.put("cred team.shared-db", "B");
        inB.put("cred team.only-a", "MISSING");
        inB.put("cred team.only-b", "OTHER");
        inB.put("cred e2e-vault.shared-db", "B");
        inB.put("kms team:shared-db#value", "B");
        inB.put("kms e2e-vault:shared-db#value", "B");
        inB.put("kms e2e-vault:e2e-password#value", "MISSING"); // the folder's e2e-vault shadows the global one
        Map<String, String> outside = new LinkedHashMap<>();
        outside.put("cred team.shared-db", "MISSING");
        outside.put("cred team.only-a", "MISSING");
        outside.put("cred team.only-b", "MISSING");
        outside.put("cred e2e-vault.shared-db", "MISSING");
        outside.put("kms team:shared-db#value", "MISSING");
        outside.put("kms e2e-vault:shared-db#value", "MISSING");
        outside.put("kms e2e-vault:e2e-password#value", "OTHER");
        Map<String, Map<String, String>> jobs = new LinkedHashMap<>();
        jobs.put(FOLDER_A + "/probe", inA);
        jobs.put(FOLDER_A + "/sub/probe", inA);
        jobs.put(FOLDER_B + "/probe", inB);
        jobs.put(OUTSIDE, outside);
        return jobs;
    }

    private void folderStores(CaseResult r) throws IOException {
        seedVault();
        String script = PROBE.formatted(sha256(VALUE_A), sha256(VALUE_B));
        String approved = jenkins.script(Groovy.preapprove(script));
        if (!approved.contains("OK")) {
            r.problem("pre-approving the probe failed: " + JenkinsClient.abbreviate(approved));
            return;
        }
        String setUp = jenkins.script(folderSetUp(script));
        if (!setUp.contains("FOLDERS-READY")) {
            r.problem("creating the folders failed: " + JenkinsClient.abbreviate(setUp));
            return;
        }
        Map<String, Map<String, String>> expected = expected();
        for (String job : expected.keySet()) {
            ScriptBuild build = ScriptBuild.run(jenkins, leaks, r, job, job);
            if (build == null) {
                continue;
            }
            int number = build.number();
            String console = build.console();
            Map<String, String> seen = new LinkedHashMap<>();
            Matcher probe = Pattern.compile("(?m)^probe (cred \\S+|kms \\S+) = (\\w+)$").matcher(console);
            while (probe.find()) {
                seen.put(probe.group(1), probe.group(2));
            }
            for (Map.Entry<String, String> want : expected.get(job).entrySet()) {
                String got = seen.get(want.getKey());
                if (!want.getValue().equals(got)) {
                    r.problem(job + ": " + want.getKey() + " gave " + got + ", expected " + want.getValue());
                }
            }
            String files = jenkins.script(Groovy.buildFiles(job, number));
            for (String line : files.split("\\R")) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    leaks.scan(r, job + " #" + number + "/" + line.substring(0, tab),
                            Base64.getDecoder().decode(line.substring(tab + 1).strip()));
                }
            }
        }
        String global = jenkins.script(Groovy.listCredentials("team.")).replaceAll("(?m)^Result: .*$", "");
        if (!global.isBlank()) {
            r.problem("the global credential lookup sees folder credentials: " + global.strip().replace('\n', ';'));
        }
        String inFolder = jenkins.script(listInFolder(FOLDER_A));
        if (!inFolder.contains("team.shared-db") || inFolder.contains("team.only-b")) {
            r.problem("the lookup in " + FOLDER_A + " lists " + inFolder.strip().replace('\n', ';'));
        }
        page(r, "job/" + FOLDER_A + "/credentials/", "only-a", "only-b");
        page(r, "job/" + FOLDER_B + "/credentials/", "only-b", "only-a");
        JenkinsClient.Response root = jenkins.get("manage/credentials/");
        if (root.status() == 200) {
            leaks.scan(r, "manage/credentials", root.body());
            if (root.body().contains("only-a") || root.body().contains("only-b")) {
                r.problem("Manage Jenkins › Credentials lists a folder's secret");
            }
        }
        JenkinsClient.Response configure = jenkins.get("job/" + FOLDER_B + "/configure");
        if (configure.status() != 200) {
            r.problem("the configuration page of " + FOLDER_B + " answered HTTP " + configure.status());
        } else {
            leaks.scan(r, FOLDER_B + "/configure", configure.body());
            if (!configure.body().contains("KMS Secrets") || !configure.body().contains("folder-b")) {
                r.problem("the configuration page of " + FOLDER_B + " does not show its stores");
            }
        }
        jenkins.script("['" + FOLDER_A + "','" + FOLDER_B + "','" + OUTSIDE
                + "'].each { jenkins.model.Jenkins.get().getItem(it)?.delete() }\nprintln 'OK'\n");
    }

    private void page(CaseResult r, String path, String present, String absent) throws IOException {
        JenkinsClient.Response page = jenkins.get(path);
        if (page.status() != 200) {
            r.problem(path + " answered HTTP " + page.status());
            return;
        }
        leaks.scan(r, path, page.body());
        // The folder's own KMS store (a relative link; the root's stores are linked under /manage/), then its listing.
        Matcher link = Pattern.compile("href=\"\\.\\./credentials/store/(kms[^/\"]*)/?\"").matcher(page.body());
        if (!link.find()) {
            r.problem(path + " shows no KMS Secrets store of the folder");
            return;
        }
        String storePage = path + "store/" + link.group(1) + "/domain/_/";
        JenkinsClient.Response domain = jenkins.get(storePage);
        if (domain.status() != 200) {
            r.problem(storePage + " answered HTTP " + domain.status());
            return;
        }
        leaks.scan(r, storePage, domain.body());
        if (!domain.body().contains("team." + present)) {
            r.problem(storePage + " does not list team." + present);
        }
        if (domain.body().contains(absent)) {
            r.problem(storePage + " lists another folder's secret " + absent);
        }
    }

    private String folderSetUp(String script) {
        String address = servers.vault().address().toString();
        return """
                import com.cloudbees.hudson.plugins.folder.Folder
                import com.cloudbees.plugins.credentials.*
                import com.cloudbees.plugins.credentials.domains.Domain
                import io.jenkins.plugins.kmssecrets.jenkins.config.*
                import org.jenkinsci.plugins.workflow.job.WorkflowJob
                import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition
                def j = jenkins.model.Jenkins.get()
                ['%1$s', '%2$s', '%3$s'].each { j.getItem(it)?.delete() }
                def fa = j.createProject(Folder, '%1$s'); def sub = fa.createProject(Folder, 'sub')
                def fb = j.createProject(Folder, '%2$s')
                def token = %4$s
                [fa, fb].each { f ->
                  def store = CredentialsProvider.lookupStores(f).find { it.context == f && it.getClass().name.contains('FolderCredentialsProvider') }
                  store.addCredentials(Domain.global(), new org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl(
                      CredentialsScope.GLOBAL, '%5$s', 'kms-e2e: Vault token of the folder stores', hudson.util.Secret.fromString(token)))
                }
                def vault = { id, mount ->
                  def v = new VaultStoreConfig(id, '%6$s'); v.mount = mount; v.signIn = new VaultSignIn.Token('%5$s'); v
                }
                def pa = new KmsFolderProperty(); pa.stores = [vault('team', 'folder-a')]; fa.addProperty(pa)
                def pb = new KmsFolderProperty(); pb.stores = [vault('team', 'folder-b'), vault('e2e-vault', 'folder-b')]; fb.addProperty(pb)
                def script = %7$s
                [fa, sub, fb, j].each { parent ->
                  def job = parent.createProject(WorkflowJob, parent == j ? '%3$s' : 'probe')
                  job.definition = new CpsFlowDefinition(script, false)
                  job.save()
                }
                println 'FOLDERS-READY'
                """.formatted(FOLDER_A, FOLDER_B, OUTSIDE, Groovy.str(servers.vaultToken()), FOLDER_TOKEN, address,
                Groovy.str(script));
    }

    private static String listInFolder(String folder) {
        return """
                import com.cloudbees.plugins.credentials.*
                import com.cloudbees.plugins.credentials.common.StandardCredentials
                def f = jenkins.model.Jenkins.get().getItemByFullName('%s')
                CredentialsProvider.lookupCredentialsInItemGroup(StandardCredentials, f, hudson.security.ACL.SYSTEM2, [])
                    .findAll { it.id.startsWith('team.') }.each { println it.id }
                """.formatted(folder);
    }

    // ---- rotation opt-in of folder stores --------------------------------------------------------------------------

    private static final String ROT_PIPELINE = """
            node {
              def plan = kmsRotate ref: 'rot-locked:db#value', generate: 'length=24'
              echo "ROT-PLAN ${plan}"
              try {
                kmsRotate ref: 'rot-locked:db#value', generate: 'length=24', apply: true
                echo 'ROT-LOCKED-WRITTEN'
              } catch (e) {
                echo "ROT-LOCKED-REFUSED ${e.message}"
              }
              def done = kmsRotate ref: 'e2e-vault:db#value', generate: 'length=24', apply: true
              echo "ROT-OPEN ${done}"
            }
            """;

    private void folderRotation(CaseResult r) throws IOException {
        FakeVault vault = servers.vault();
        seedMount(vault, "folder-rot", Map.of("db", VALUE_ROT));
        vault.token(ROT_TOKEN, java.time.Duration.ZERO, false, "folder-rot/*:read,list,update");
        String approved = jenkins.script(Groovy.preapprove(ROT_PIPELINE));
        if (!approved.contains("OK")) {
            r.problem("pre-approving the pipeline failed: " + JenkinsClient.abbreviate(approved));
            return;
        }
        String setUp = jenkins.script("""
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
                    CredentialsScope.GLOBAL, '%2$s', 'kms-e2e: Vault token that may update folder-rot', hudson.util.Secret.fromString(%3$s)))
                def vault = { id, allow ->
                  def v = new VaultStoreConfig(id, '%4$s'); v.mount = 'folder-rot'; v.signIn = new VaultSignIn.Token('%2$s')
                  v.allowRotation = allow; v
                }
                def p = new KmsFolderProperty(); p.stores = [vault('rot-locked', false), vault('e2e-vault', true)]; f.addProperty(p)
                def job = f.createProject(WorkflowJob, 'rotate')
                job.definition = new CpsFlowDefinition(%5$s, false)
                job.save()
                println 'ROT-READY'
                """.formatted(ROT_FOLDER, ROT_CREDENTIAL, Groovy.str(ROT_TOKEN), servers.vault().address().toString(),
                Groovy.str(ROT_PIPELINE)));
        if (!setUp.contains("ROT-READY")) {
            r.problem("creating the folder failed: " + JenkinsClient.abbreviate(setUp));
            return;
        }
        int writesBefore = vault.count(FakeVault.WRITE) + vault.count(FakeVault.DELETE_VERSIONS);
        String job = ROT_FOLDER + "/rotate";
        ScriptBuild build = ScriptBuild.run(jenkins, leaks, r, job, job);
        int writes = vault.count(FakeVault.WRITE) + vault.count(FakeVault.DELETE_VERSIONS) - writesBefore;
        if (build == null) {
            return;
        }
        int number = build.number();
        r.build(job, number);
        String console = build.console();
        if (!"SUCCESS".equals(build.result())) {
            r.problem(job + " #" + number + ": result " + build.result() + ", expected SUCCESS");
        }
        for (String wanted : List.of("ROT-PLAN kmsRotate: planned",
                "ROT-LOCKED-REFUSED kmsRotate: store 'rot-locked' does not allow rotation (allowRotation is off in "
                        + "folder '" + ROT_FOLDER + "'); nothing was written",
                "ROT-OPEN kmsRotate: rotated e2e-vault:db")) {
            if (!console.contains(wanted)) {
                r.problem(job + " #" + number + ": the console lacks '" + wanted + "'");
            }
        }
        if (console.contains("ROT-LOCKED-WRITTEN")) {
            r.problem(job + " #" + number + ": the write to rot-locked was not refused");
        }
        r.note("writes at the vault backend during the build: " + writes);
        if (writes != 1) {
            r.problem("the vault backend received " + writes + " write(s), expected 1 (the folder's e2e-vault only)");
        }
        String files = jenkins.script(Groovy.buildFiles(job, number));
        for (String line : files.split("\\R")) {
            int tab = line.indexOf('\t');
            if (tab > 0) {
                leaks.scan(r, job + " #" + number + "/" + line.substring(0, tab),
                        Base64.getDecoder().decode(line.substring(tab + 1).strip()));
            }
        }
        jenkins.script("jenkins.model.Jenkins.get().getItem('" + ROT_FOLDER + "')?.delete()\nprintln 'OK'\n");
    }

    // ---- JCasC secret source --------------------------------------------------------------------------------------

    private static final String CASC_CREDENTIAL = "kms-e2e-casc-text";
    private static final String CASC_MISSING = "kms-e2e-casc-missing";
    private static final String CASC_BOOT = "kms-e2e-casc-boot";

    private static String credentialsYaml(String id, String reference) {
        return "credentials:\n  system:\n    domainCredentials:\n      - credentials:\n"
                + "          - string:\n              scope: GLOBAL\n              id: \"" + id + "\"\n"
                + "              description: \"kms-e2e: from a JCasC reference\"\n"
                + "              secret: \"${" + reference + "}\"\n";
    }

    /** Prints EQUAL, DIFFERENT or MISSING for the System credential {@code id} against {@code expected}. */
    private static String compareCredential(String id, String expected) {
        return """
                import com.cloudbees.plugins.credentials.*
                def c = SystemCredentialsProvider.getInstance().getCredentials().find { it.id == '%s' }
                println(c == null ? 'MISSING' : (c.secret.plainText == %s ? 'EQUAL' : (c.secret.plainText.isEmpty() ? 'EMPTY' : 'DIFFERENT')))
                """.formatted(id, Groovy.str(expected));
    }

    private void cascSecretSource(CaseResult r) throws IOException {
        try {
            cascReferences(r);
            bootstrap(r);
        } finally {
            String restored = jenkins.script(credentialsScript);
            if (!restored.contains("OK")) {
                r.problem("re-creating the suite's credentials failed: " + JenkinsClient.abbreviate(restored));
            }
        }
    }

    private void cascReferences(CaseResult r) throws IOException {
        // A reference to an existing secret (with a property) becomes the credential's value.
        String yaml = credentialsYaml(CASC_CREDENTIAL, "kms:e2e-vault/e2e-password#value");
        JenkinsClient.Response applied = jenkins.post("configuration-as-code/apply", "text/yaml", yaml);
        leaks.scan(r, "apply answer", applied.body());
        if (applied.status() / 100 != 2 && applied.status() != 302) {
            r.problem("applying ${kms:e2e-vault/e2e-password#value} answered HTTP " + applied.status() + ": "
                    + JenkinsClient.abbreviate(applied.body()));
        }
        String equal = jenkins.script(compareCredential(CASC_CREDENTIAL, vaultPassword)).strip();
        if (!equal.equals("EQUAL")) {
            r.problem("the credential from ${kms:e2e-vault/e2e-password#value} is " + equal);
        }
        // A missing secret fails the configuration, naming the reference; no credential with an empty value.
        String missingRef = "kms:e2e-vault/e2e-no-such-secret#value";
        JenkinsClient.Response missing = jenkins.post("configuration-as-code/apply", "text/yaml",
                credentialsYaml(CASC_MISSING, missingRef));
        leaks.scan(r, "apply answer (missing)", missing.body());
        if (missing.status() / 100 == 2 || missing.status() == 302) {
            r.problem("a reference to a missing secret was applied (HTTP " + missing.status() + ")");
        } else {
            // Jenkins answers 500 with a logging id; the exception (with the reference) is in its log.
            String logged = jenkins.script("""
                    jenkins.model.Jenkins.logRecords.findAll { it.thrown != null && it.thrown.toString().contains('%s') }
                        .each { println it.thrown.toString() }
                    null
                    """.formatted(missingRef));
            leaks.scan(r, "Jenkins log (missing reference)", logged);
            if (!logged.contains(missingRef) && !missing.body().contains(missingRef)) {
                r.problem("the failure does not name the reference: HTTP " + missing.status() + ", log: "
                        + JenkinsClient.abbreviate(logged));
            }
        }
        String absent = jenkins.script(compareCredential(CASC_MISSING, "")).strip();
        if (!absent.equals("MISSING")) {
            r.problem("a failed reference left credential " + CASC_MISSING + " (" + absent + ")");
        }
        // The export holds no value (the credential's secret is exported encrypted).
        JenkinsClient.Response export = jenkins.post("configuration-as-code/export", null, "");
        if (export.status() != 200) {
            r.problem("JCasC export answered HTTP " + export.status());
        } else {
            leaks.scan(r, "JCasC export", export.body());
            if (export.body().contains("${kms:")) {
                r.problem("the export holds a ${kms:...} reference");
            }
        }
    }

    /** jenkins.yaml defines a store (age key from a file) and uses it in the same file; JCasC reloads it. */
    private void bootstrap(CaseResult r) throws IOException {
        if (servers.sopsFile() == null || sopsPassword == null) {
            r.skip("bootstrap part: the SOPS store is not part of this run");
            return;
        }
        jenkins.script(Groovy.writeControllerFile(BOOT_AGE_KEY_FILE,
                servers.agePrivateKey().getBytes(StandardCharsets.US_ASCII)));
        String store = "      - sops:\n          id: \"e2e-boot\"\n          file: \"kms-e2e/e2e.enc.yaml\"\n"
                + "          ageKeyFile: \"" + BOOT_AGE_KEY_FILE + "\"\n";
        String yaml = credentialsYaml(CASC_BOOT, "kms:e2e-boot/e2e-password")
                + cascYaml.replace("    stores:\n", "    stores:\n" + store);
        try {
            jenkins.script(Groovy.writeControllerFile("jenkins.yaml", yaml.getBytes(StandardCharsets.UTF_8)));
            JenkinsClient.Response reload = jenkins.post("configuration-as-code/reload", null, "");
            leaks.scan(r, "reload answer", reload.body());
            if (reload.status() / 100 != 2 && reload.status() != 302) {
                r.problem("JCasC reload of jenkins.yaml answered HTTP " + reload.status() + ": "
                        + JenkinsClient.abbreviate(reload.body()));
            }
            String equal = jenkins.script(compareCredential(CASC_BOOT, sopsPassword)).strip();
            if (!equal.equals("EQUAL")) {
                r.problem("the credential from ${kms:e2e-boot/e2e-password} (store defined in the same file) is "
                        + equal);
            }
        } finally {
            jenkins.script("def root = jenkins.model.Jenkins.get().rootDir\nnew File(root, 'jenkins.yaml').delete()\n"
                    + "new File(root, '" + BOOT_AGE_KEY_FILE + "').delete()\nprintln 'OK'\n");
        }
    }

    // ---- operator controls ----------------------------------------------------------------------------------------

    private static final String STORE_PAGE = "manage/credentials/store/kms/";

    private void storeReload(CaseResult r) throws IOException {
        String address = servers.vault().address().toString();
        JenkinsClient.Response test = jenkins.postForm(
                "descriptorByName/io.jenkins.plugins.kmssecrets.jenkins.config.VaultStoreConfig/testConnection",
                Map.of("id", "e2e-vault-check", "address", address, "authMethod", "token",
                        "credentialsId", "kms-e2e-vault-token", "namespace", "", "mount", "", "role", "",
                        "kvVersion", "", "prefix", "", "caCertFile", ""));
        leaks.scan(r, "Test connection", test.body());
        if (test.status() != 200 || !test.body().contains("Connected")) {
            r.problem("Test connection of the Vault store answered HTTP " + test.status() + ": "
                    + JenkinsClient.abbreviate(test.body()));
        }
        JenkinsClient.Response get = jenkins.get(STORE_PAGE + "reload");
        if (get.status() / 100 == 2) {
            r.problem("GET " + STORE_PAGE + "reload answered HTTP " + get.status() + "; only POST may reload");
        }
        String before = jenkins.script(Groovy.listCredentials("e2e-vault."));
        JenkinsClient.Response reload = jenkins.post(STORE_PAGE + "reload", null, "");
        if (reload.status() / 100 != 2 && reload.status() / 100 != 3) {
            r.problem("POST " + STORE_PAGE + "reload answered HTTP " + reload.status());
        }
        String page = storePage(r, "after a reload");
        String reloadTable = table(page, "kms-store-reload");
        if (reloadTable == null) {
            r.problem("the store page shows no reload result");
        } else {
            Matcher row = Pattern.compile("e2e-vault\\s*✓\\s*(\\d+) entries fetched").matcher(reloadTable);
            if (!row.find()) {
                r.problem("the reload result has no successful row for e2e-vault: " + JenkinsClient.abbreviate(
                        reloadTable));
            }
        }
        String tests = table(page, "kms-connection-tests");
        if (tests == null || !tests.contains("e2e-vault-check") || !tests.contains("✓")
                || !Pattern.compile("\\d{4}-\\d{2}-\\d{2}T").matcher(tests).find()) {
            r.problem("the store page does not keep the Test connection outcome with its time: "
                    + (tests == null ? "no table" : JenkinsClient.abbreviate(tests)));
        }
        // An outage: the reload reports the failure and the credentials stay (last-known-good).
        servers.outage("vault", true);
        try {
            jenkins.post(STORE_PAGE + "reload", null, "");
            String down = table(storePage(r, "during an outage"), "kms-store-reload");
            if (down == null || !Pattern.compile("e2e-vault\\s*✗").matcher(down).find()) {
                r.problem("a reload during a Vault outage does not report e2e-vault as failed: "
                        + (down == null ? "no table" : JenkinsClient.abbreviate(down)));
            }
            String during = jenkins.script(Groovy.listCredentials("e2e-vault."));
            if (!during.equals(before)) {
                r.problem("a reload during an outage changed the Vault credentials (" + before.lines().count()
                        + " before, " + during.lines().count() + " after)");
            }
        } finally {
            servers.outage("vault", false);
        }
    }

    private String storePage(CaseResult r, String when) throws IOException {
        JenkinsClient.Response page = jenkins.get(STORE_PAGE);
        if (page.status() != 200) {
            r.problem("the store page " + when + " answered HTTP " + page.status());
            return "";
        }
        leaks.scan(r, "store page " + when, page.body());
        return page.body();
    }

    /** The text of the table with this id, tags removed, or {@code null}. */
    private static String table(String html, String id) {
        Matcher m = Pattern.compile("(?s)<table[^>]*id=\"" + id + "\"[^>]*>(.*?)</table>").matcher(html);
        return m.find() ? m.group(1).replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ").strip() : null;
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private static String random() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
