package io.jenkins.plugins.kmssecrets.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration cases, run after the pipelines against the configuration the runner applied:
 * <ul>
 *   <li>{@code jcasc-export-roundtrip}: JCasC's export holds the four stores and no value; re-applying the exported
 *       {@code kmsSecrets} section changes nothing (live configuration and {@code config.xml}); neither the export
 *       nor the plugin's configuration file holds a value or an authentication secret;</li>
 *   <li>{@code form-save-reload}: the global configuration page renders the stores without a value; a form save
 *       (the plugin's {@code configure} with Stapler's data binding) of the same stores is accepted, and after
 *       Jenkins reloads its configuration from disk the stores are the same;</li>
 *   <li>{@code form-save-rejected}: a form save naming one store id twice is refused with the plugin's message, and
 *       the live configuration, the file on disk and another store's credentials are unchanged; the next valid save
 *       is accepted;</li>
 *   <li>{@code credentials-ui}: Manage Jenkins › Credentials shows the store by a readable name, and its page lists
 *       each credential with its type and description, never a value;</li>
 *   <li>{@code signin-modes}, {@code signin-old-config}: the sign-in modes ({@link SignInChecks});</li>
 *   <li>{@code sops-test-connection}: the SOPS store's "Test connection" says "Connected" with the right age key
 *       and fails with a wrong or missing one (the data key must be unwrapped, without reading a value).</li>
 * </ul>
 */
final class ConfigChecks {

    static final List<String> NAMES = List.of("jcasc-export-roundtrip", "form-save-reload", "form-save-rejected",
            "signin-modes", "signin-old-config", "credentials-ui", "sops-test-connection");

    /** A System credential holding an age identity that is not a recipient of the SOPS file. */
    static final String WRONG_AGE_CREDENTIAL = "kms-e2e-wrong-age-key";

    private final JenkinsClient jenkins;
    private final LeakChecker leaks;
    private final String cascYaml;
    private final Path work;

    ConfigChecks(JenkinsClient jenkins, LeakChecker leaks, String cascYaml, Path work) {
        this.jenkins = jenkins;
        this.leaks = leaks;
        this.cascYaml = cascYaml;
        this.work = work;
    }

    void run(String name, CaseResult r) throws IOException, InterruptedException {
        switch (name) {
            case "jcasc-export-roundtrip" -> exportRoundTrip(r);
            case "form-save-reload" -> formSaveReload(r);
            case "form-save-rejected" -> formSaveRejected(r);
            case "credentials-ui" -> credentialsUi(r);
            case "sops-test-connection" -> sopsTestConnection(r);
            case "signin-modes", "signin-old-config" -> new SignInChecks(jenkins, this, cascYaml).run(name, r);
            default -> throw new IllegalArgumentException(name);
        }
    }

    /** For {@link SignInChecks}, which reports through this case's leak checker. */
    void scan(CaseResult r, String source, String text) {
        leaks.scan(r, source, text);
    }

    private String live() throws IOException {
        return jenkins.script(Groovy.LIVE_CONFIG).strip();
    }

    private String disk() throws IOException {
        return jenkins.script(Groovy.DISK_CONFIG).strip();
    }

    private byte[] configFile(CaseResult r) throws IOException {
        String out = jenkins.script(Groovy.CONFIG_FILE).strip();
        if (out.equals("MISSING")) {
            r.problem(Groovy.CONFIG_CLASS + ".xml does not exist in JENKINS_HOME");
            return new byte[0];
        }
        return Base64.getDecoder().decode(out);
    }

    private Set<String> expectedStoreIds() {
        Set<String> ids = new LinkedHashSet<>();
        Matcher m = Pattern.compile("id: \"([a-z0-9_-]+)\"").matcher(cascYaml);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    // ---- JCasC ----------------------------------------------------------------------------------------------------

    private void exportRoundTrip(CaseResult r) throws IOException {
        String before = live();
        byte[] fileBefore = configFile(r);
        leaks.scan(r, Groovy.CONFIG_CLASS + ".xml", fileBefore);
        JenkinsClient.Response export = jenkins.post("configuration-as-code/export", null, "");
        if (export.status() != 200) {
            r.problem("JCasC export answered HTTP " + export.status());
            return;
        }
        Files.writeString(work.resolve("jcasc-export.yaml"), export.body());
        leaks.scan(r, "JCasC export", export.body());
        String section = kmsSection(export.body());
        if (section == null) {
            r.problem("the JCasC export has no unclassified.kmsSecrets section");
            return;
        }
        for (String id : expectedStoreIds()) {
            if (!section.contains(id)) {
                r.problem("the exported kmsSecrets section lacks store " + id);
            }
        }
        rotationExportProblems(section, cascYaml).forEach(r::problem);
        String reapply = "unclassified:\n" + section;
        JenkinsClient.Response applied = jenkins.post("configuration-as-code/apply", "text/yaml", reapply);
        if (applied.status() / 100 != 2 && applied.status() != 302) {
            String out = jenkins.script(Groovy.cascApply(reapply));
            if (!out.contains("APPLIED")) {
                r.problem("re-applying the exported section failed: " + JenkinsClient.abbreviate(out));
                return;
            }
        }
        String after = live();
        if (!after.equals(before)) {
            r.problem("re-applying the export changed the live configuration: before [" + oneLine(before) + "], after ["
                    + oneLine(after) + "]");
        }
        byte[] fileAfter = configFile(r);
        leaks.scan(r, Groovy.CONFIG_CLASS + ".xml after re-apply", fileAfter);
        if (!normalise(fileAfter).equals(normalise(fileBefore))) {
            r.problem(Groovy.CONFIG_CLASS + ".xml differs after re-applying the export");
        }
    }

    /**
     * The stores the applied YAML opts in to rotation must show {@code allowRotation: true} in the export, and no other
     * store may (the default, false, is not exported).
     */
    static List<String> rotationExportProblems(String section, String appliedYaml) {
        List<String> problems = new java.util.ArrayList<>();
        Set<String> allowed = new LinkedHashSet<>();
        for (SignInChecks.Store store : SignInChecks.stores(appliedYaml)) {
            if ("true".equals(store.fields().get("allowRotation"))) {
                allowed.add(store.id());
            }
        }
        Matcher m = Pattern.compile("(?m)^    - (\\w+):\\n((?:      .*\\n?)*)").matcher(section);
        while (m.find()) {
            Matcher id = Pattern.compile("(?m)^        id: \"([^\"]+)\"").matcher(m.group(2));
            if (!id.find()) {
                continue;
            }
            boolean exported = Pattern.compile("(?m)^        allowRotation: true$").matcher(m.group(2)).find();
            if (exported != allowed.contains(id.group(1))) {
                problems.add("the export of store " + id.group(1) + (exported ? " shows" : " lacks")
                        + " allowRotation: true");
            }
        }
        return problems;
    }

    /** The {@code kmsSecrets:} block (with its two-space indentation) of an {@code unclassified:} export. */
    static String kmsSection(String yaml) {
        String[] lines = yaml.split("\\R");
        StringBuilder out = null;
        for (String line : lines) {
            if (out == null) {
                if (line.equals("  kmsSecrets:")) {
                    out = new StringBuilder(line).append('\n');
                }
            } else if (line.startsWith("   ") || line.isBlank()) {
                out.append(line).append('\n');
            } else {
                break;
            }
        }
        return out == null ? null : out.toString();
    }

    private static String normalise(byte[] xml) {
        return new String(xml, StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
    }

    private static String oneLine(String text) {
        return text.replace('\n', ';').replace('\t', ' ');
    }

    // ---- form -------------------------------------------------------------------------------------------------

    /**
     * The form JSON for the stores in the applied YAML; {@code duplicate}: the last store takes the first's id. A nested
     * {@code signIn} becomes the object the sign-in dropdown submits ({@code $class} of the mode); flat attributes of
     * earlier releases are submitted as they are (the deprecated setters bind them).
     */
    String formJson(boolean duplicate) {
        StringBuilder json = new StringBuilder("{\"stores\":[");
        String type = null;
        StringBuilder store = null;
        StringBuilder signIn = null;
        String firstId = null;
        List<String> stores = new java.util.ArrayList<>();
        Pattern kindLine = Pattern.compile("^      - (\\w+):$");
        Pattern fieldLine = Pattern.compile("^          (\\w+): \"(.*)\"$");
        Pattern modeLine = Pattern.compile("^            (\\w+):$");
        Pattern modeFieldLine = Pattern.compile("^              (\\w+): \"(.*)\"$");
        for (String line : cascYaml.split("\\R")) {
            Matcher kind = kindLine.matcher(line);
            Matcher field = fieldLine.matcher(line);
            Matcher mode = modeLine.matcher(line);
            Matcher modeField = modeFieldLine.matcher(line);
            if (kind.matches()) {
                if (store != null) {
                    stores.add(closeStore(store, signIn));
                }
                signIn = null;
                type = kind.group(1);
                store = new StringBuilder("{\"$class\":\"" + storeClass(type) + "\"");
            } else if (line.equals("          signIn:")) {
                signIn = new StringBuilder();
            } else if (mode.matches() && signIn != null) {
                signIn.append("{\"$class\":\"").append(signInClass(type, mode.group(1))).append('"');
            } else if (modeField.matches() && signIn != null) {
                signIn.append(",\"").append(modeField.group(1)).append("\":\"")
                        .append(LeakChecker.jsonEscape(modeField.group(2), false)).append('"');
            } else if (field.matches() && store != null) {
                String value = field.group(2);
                if (field.group(1).equals("id")) {
                    if (firstId == null) {
                        firstId = value;
                    }
                }
                if (field.group(1).equals("signIn")) {
                    // signIn: "managedIdentity" (a mode without fields)
                    signIn = new StringBuilder("{\"$class\":\"" + signInClass(type, value) + "\"");
                    continue;
                }
                store.append(",\"").append(field.group(1)).append("\":\"").append(LeakChecker.jsonEscape(value, false))
                        .append('"');
            }
        }
        if (store != null) {
            stores.add(closeStore(store, signIn));
        }
        if (duplicate && stores.size() > 1) {
            String last = stores.get(stores.size() - 1);
            stores.set(stores.size() - 1, last.replaceFirst("\"id\":\"[^\"]*\"", "\"id\":\"" + firstId + "\""));
        }
        json.append(String.join(",", stores)).append("],\"cacheTtl\":\"10s\",\"tagFilter\":\"\"}");
        return json.toString();
    }

    private static String closeStore(StringBuilder store, StringBuilder signIn) {
        if (signIn != null && signIn.length() > 0) {
            store.append(",\"signIn\":").append(signIn).append('}');
        }
        return store.append('}').toString();
    }

    /** The class of a sign-in mode, by the store type's symbol and the mode's symbol. */
    static String signInClass(String storeSymbol, String modeSymbol) {
        String base = switch (storeSymbol) {
            case "azureKeyVault" -> "AzureSignIn";
            case "googleSecretManager" -> "GoogleSignIn";
            case "vault" -> "VaultSignIn";
            default -> throw new IllegalArgumentException(storeSymbol + " has no sign-in modes");
        };
        String mode = switch (modeSymbol) {
            case "default" -> "DefaultChain";
            default -> Character.toUpperCase(modeSymbol.charAt(0)) + modeSymbol.substring(1);
        };
        return "io.jenkins.plugins.kmssecrets.jenkins.config." + base + "$" + mode;
    }

    private static String storeClass(String symbol) {
        String simple = switch (symbol) {
            case "sops" -> "SopsStoreConfig";
            case "azureKeyVault" -> "AzureKeyVaultStoreConfig";
            case "googleSecretManager" -> "GoogleSecretManagerStoreConfig";
            case "vault" -> "VaultStoreConfig";
            default -> throw new IllegalArgumentException(symbol);
        };
        return "io.jenkins.plugins.kmssecrets.jenkins.config." + simple;
    }

    private void formSaveReload(CaseResult r) throws IOException, InterruptedException {
        JenkinsClient.Response page = jenkins.get("manage/configure");
        if (page.status() != 200) {
            r.problem("the global configuration page answered HTTP " + page.status());
        } else {
            leaks.scan(r, "manage/configure", page.body());
            for (String id : expectedStoreIds()) {
                if (!page.body().contains(id)) {
                    r.problem("the global configuration page does not show store " + id);
                }
            }
            if (!page.body().contains("name=\"_.allowRotation\"")) {
                r.problem("the global configuration page has no allowRotation checkbox");
            }
        }
        String before = live();
        String out = jenkins.script(Groovy.formSubmit(formJson(false))).strip();
        if (!out.equals("SAVED")) {
            r.problem("a form save of the same stores was refused: " + oneLine(out));
            return;
        }
        if (!live().equals(before)) {
            r.problem("a form save of the same stores changed the live configuration");
        }
        leaks.scan(r, Groovy.CONFIG_CLASS + ".xml after the form save", configFile(r));
        JenkinsClient.Response reload = jenkins.post("reload", null, "");
        if (!reload.ok()) {
            r.problem("POST /reload answered HTTP " + reload.status());
            return;
        }
        Thread.sleep(2000);
        if (!jenkins.waitUntilUp(Duration.ofMinutes(3))) {
            r.problem("Jenkins did not answer within 3 minutes after reloading its configuration");
            return;
        }
        String after = live();
        if (!after.equals(before)) {
            r.problem("after reload from disk the stores differ: before [" + oneLine(before) + "], after ["
                    + oneLine(after) + "]");
        }
    }

    private void formSaveRejected(CaseResult r) throws IOException {
        String before = live();
        String diskBefore = disk();
        String storeId = expectedStoreIds().stream().reduce((a, b) -> b).orElse("e2e-vault");
        String firstId = expectedStoreIds().iterator().next();
        String credentialsBefore = jenkins.script(Groovy.listCredentials(firstId + "."));
        String out = jenkins.script(Groovy.formSubmit(formJson(true))).strip();
        if (!out.startsWith("REJECTED")) {
            r.problem("a form save naming store id " + firstId + " twice was accepted: " + oneLine(out));
        } else if (!out.contains(firstId)) {
            r.problem("the refusal does not name the duplicate id " + firstId + ": " + oneLine(out));
        }
        String after = live();
        if (!after.equals(before)) {
            r.problem("the rejected save changed the live configuration: before [" + oneLine(before) + "], after ["
                    + oneLine(after) + "] (store " + storeId + " was replaced)");
        }
        String diskAfter = disk();
        if (!diskAfter.equals(diskBefore)) {
            r.problem("the rejected save changed the configuration on disk");
        }
        String credentialsAfter = jenkins.script(Groovy.listCredentials(firstId + "."));
        if (!credentialsAfter.equals(credentialsBefore)) {
            r.problem("the rejected save changed the credentials of store " + firstId + " (" + count(credentialsBefore)
                    + " listed before, " + count(credentialsAfter) + " after)");
        }
        String next = jenkins.script(Groovy.formSubmit(formJson(false))).strip();
        if (!next.equals("SAVED")) {
            r.problem("the next valid save was refused: " + oneLine(next));
        }
    }

    private static long count(String lines) {
        return lines.lines().filter(l -> !l.isBlank()).count();
    }

    // ---- credentials UI -------------------------------------------------------------------------------------------

    private void credentialsUi(CaseResult r) throws IOException {
        JenkinsClient.Response page = jenkins.get("manage/credentials/");
        if (page.status() != 200) {
            r.problem("Manage Jenkins › Credentials answered HTTP " + page.status());
            return;
        }
        String html = page.body();
        Files.writeString(work.resolve("credentials.html"), html);
        leaks.scan(r, "manage/credentials", html);
        if (!html.contains("KMS Secrets")) {
            r.problem("the credentials page does not name the store 'KMS Secrets'");
        }
        if (Pattern.compile(">\\s*Kms\\s*<").matcher(html).find()) {
            r.problem("the credentials page shows the store as 'Kms'");
        }
        Matcher link = Pattern.compile("href=\"([^\"]*/store/([^/\"]+)/)\"").matcher(html);
        String storePath = null;
        while (link.find()) {
            if (link.group(2).toLowerCase(java.util.Locale.ROOT).contains("kms")) {
                storePath = link.group(1);
                break;
            }
        }
        if (storePath == null) {
            storePath = "manage/credentials/store/kms/";
        }
        String relative = storePath.replaceFirst("^.*?/manage/", "manage/").replaceFirst("^/", "");
        JenkinsClient.Response domain = jenkins.get(relative + "domain/_/");
        if (domain.status() != 200) {
            r.problem("the store page " + relative + "domain/_/ answered HTTP " + domain.status());
            return;
        }
        Files.writeString(work.resolve("credentials-store.html"), domain.body());
        leaks.scan(r, relative + "domain/_/", domain.body());
        String text = text(domain.body());
        for (String id : expectedStoreIds()) {
            String credential = id + ".e2e-password";
            int at = text.indexOf(credential);
            if (at < 0) {
                r.problem("the store page does not list " + credential);
                continue;
            }
            // The row: the credential's name and type, its id, and a description naming the secret and the store.
            String row = text.substring(Math.max(0, at - 80), Math.min(text.length(), at + credential.length() + 120));
            if (!row.replace(credential, "").contains("e2e-password") || !row.replace(credential, "").contains(id)) {
                r.problem("the row of " + credential + " has no description naming the secret and the store: " + row);
            }
        }
        if (!domain.body().contains("from a KMS store")) {
            r.problem("the store page does not show the credential types");
        }
        String anyId = expectedStoreIds().iterator().next() + ".e2e-password";
        JenkinsClient.Response one = jenkins.get(relative + "domain/_/credential/" + anyId + "/");
        if (one.status() == 200) {
            leaks.scan(r, "credential page " + anyId, one.body());
        } else {
            r.problem("the credential page of " + anyId + " answered HTTP " + one.status());
        }
    }

    // ---- SOPS test connection ---------------------------------------------------------------------------------

    private void sopsTestConnection(CaseResult r) throws IOException {
        if (!cascYaml.contains("- sops:")) {
            r.skip("the SOPS store is not configured in this run");
            return;
        }
        String url = "descriptorByName/io.jenkins.plugins.kmssecrets.jenkins.config.SopsStoreConfig/testConnection";
        String file = "kms-e2e/e2e.enc.yaml";
        String right = testConnection(r, url, file, "kms-e2e-age-key", "right key");
        if (right != null && !right.contains("Connected")) {
            r.problem("Test connection with the right age key does not say Connected: "
                    + JenkinsClient.abbreviate(text(right)));
        }
        String wrong = testConnection(r, url, file, WRONG_AGE_CREDENTIAL, "wrong key");
        if (wrong != null && wrong.contains("Connected")) {
            r.problem("Test connection with a wrong age key says: " + JenkinsClient.abbreviate(text(wrong)));
        }
        String none = testConnection(r, url, file, "", "no key");
        if (none != null && none.contains("Connected")) {
            r.problem("Test connection without an age key says: " + JenkinsClient.abbreviate(text(none)));
        }
    }

    private String testConnection(CaseResult r, String url, String file, String credentialsId, String what)
            throws IOException {
        JenkinsClient.Response response = jenkins.postForm(url, java.util.Map.of("id", "e2e-sops-check", "file", file,
                "credentialsId", credentialsId, "ageKeyFile", ""));
        if (response.status() != 200) {
            r.problem("Test connection (" + what + ") answered HTTP " + response.status());
            return null;
        }
        leaks.scan(r, "Test connection (" + what + ")", response.body());
        return response.body();
    }

    /** The page's text: no scripts, no tags, entities decoded, white space collapsed. */
    static String text(String html) {
        String text = html.replaceAll("(?s)<script.*?</script>", " ").replaceAll("<[^>]+>", " ")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&");
        return text.replaceAll("\\s+", " ").strip();
    }
}
