package io.jenkins.plugins.kmssecrets.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sign-in mode cases (a nested describable per mode, issue 18 §4), run with the configuration checks:
 * <ul>
 *   <li>{@code signin-modes}: every store runs the mode its YAML names (nested {@code signIn}, or the flat attributes
 *       of earlier releases); the JCasC export shows each mode nested and no flat attribute; the global configuration
 *       page renders, per store, exactly the selected mode's fields and that mode's "Test connection" button; a
 *       managed-identity Key Vault and a Kubernetes Vault (saved through the form binding, then removed) run those
 *       modes and show only their fields; each configured mode's "Test connection" connects with the submitted
 *       fields and fails with a missing credential; the Vault AppRole (role id typed, or from a username/password
 *       credential) and Kubernetes modes connect, a wrong role id or role does not; the store-level
 *       "Test connection" URL of earlier releases still accepts the flat fields;</li>
 *   <li>{@code signin-old-config}: the plugin's {@code config.xml} rewritten in the format of earlier releases (flat
 *       {@code auth}, {@code tenantId}, {@code authMethod}, {@code credentialsId} ... elements) loads, after
 *       {@code POST /reload}, as the same modes; the next save writes the nested format.</li>
 * </ul>
 */
final class SignInChecks {

    static final List<String> NAMES = List.of("signin-modes", "signin-old-config");

    /** Each mode's fields, by the mode's class ({@code <base>$<Mode>}). */
    static final Map<String, Set<String>> MODE_FIELDS = new LinkedHashMap<>();

    static {
        MODE_FIELDS.put("AzureSignIn$DefaultChain", Set.of("tenantId", "clientId"));
        MODE_FIELDS.put("AzureSignIn$ManagedIdentity", Set.of("clientId"));
        MODE_FIELDS.put("AzureSignIn$WorkloadIdentity", Set.of("tenantId", "clientId"));
        MODE_FIELDS.put("AzureSignIn$AzureCli", Set.of("tenantId"));
        MODE_FIELDS.put("AzureSignIn$ClientSecret", Set.of("tenantId", "clientId", "credentialsId"));
        MODE_FIELDS.put("AzureSignIn$ClientCertificate", Set.of("tenantId", "clientId", "clientCertificatePath"));
        MODE_FIELDS.put("VaultSignIn$Token", Set.of("credentialsId"));
        MODE_FIELDS.put("VaultSignIn$AppRole", Set.of("credentialsId", "roleId", "authMount"));
        MODE_FIELDS.put("VaultSignIn$Kubernetes", Set.of("role", "authMount", "jwtFile"));
        MODE_FIELDS.put("GoogleSignIn$DefaultChain", Set.of());
        MODE_FIELDS.put("GoogleSignIn$CredentialJson", Set.of("credentialsId"));
        MODE_FIELDS.put("GoogleSignIn$CredentialsFile", Set.of("credentialsFile"));
        MODE_FIELDS.put("GoogleSignIn$AdcFile", Set.of());
    }

    /** The flat sign-in attributes of earlier releases; none may appear on a store in an export. */
    static final Set<String> FLAT_ATTRIBUTES = Set.of("auth", "authMethod", "tenantId", "clientId", "credentialsId",
            "clientCertificatePath", "credentialsFile", "role");

    private static final String PACKAGE = "io.jenkins.plugins.kmssecrets.jenkins.config.";

    private final JenkinsClient jenkins;
    private final ConfigChecks config;
    private final String cascYaml;

    SignInChecks(JenkinsClient jenkins, ConfigChecks config, String cascYaml) {
        this.jenkins = jenkins;
        this.config = config;
        this.cascYaml = cascYaml;
    }

    void run(String name, CaseResult r) throws IOException, InterruptedException {
        switch (name) {
            case "signin-modes" -> modes(r);
            case "signin-old-config" -> oldConfig(r);
            default -> throw new IllegalArgumentException(name);
        }
    }

    // ---- what the YAML configures ---------------------------------------------------------------------------------

    /** One store of the applied YAML: its symbol, its top-level fields, and its sign-in mode and that mode's fields. */
    record Store(String symbol, Map<String, String> fields, String mode, Map<String, String> modeFields) {

        String id() {
            return fields.get("id");
        }
    }

    /** The stores of {@code yaml}; a flat store's mode is the one its flat attributes select. */
    static List<Store> stores(String yaml) {
        List<Store> stores = new ArrayList<>();
        String symbol = null;
        Map<String, String> fields = null;
        Map<String, String> modeFields = null;
        String modeSymbol = null;
        for (String line : (yaml + "\n      - end:").split("\\R")) {
            Matcher kind = Pattern.compile("^      - (\\w+):$").matcher(line);
            Matcher field = Pattern.compile("^          (\\w+): \"(.*)\"$").matcher(line);
            Matcher mode = Pattern.compile("^            (\\w+):$").matcher(line);
            Matcher modeField = Pattern.compile("^              (\\w+): \"(.*)\"$").matcher(line);
            if (kind.matches()) {
                if (symbol != null) {
                    stores.add(store(symbol, fields, modeSymbol, modeFields));
                }
                symbol = kind.group(1);
                fields = new LinkedHashMap<>();
                modeFields = new LinkedHashMap<>();
                modeSymbol = null;
            } else if (mode.matches() && fields != null) {
                modeSymbol = mode.group(1);
            } else if (modeField.matches() && modeFields != null) {
                modeFields.put(modeField.group(1), modeField.group(2));
            } else if (field.matches() && fields != null) {
                if (field.group(1).equals("signIn")) {
                    modeSymbol = field.group(2);
                } else {
                    fields.put(field.group(1), field.group(2));
                }
            }
        }
        return stores;
    }

    private static Store store(String symbol, Map<String, String> fields, String modeSymbol,
            Map<String, String> modeFields) {
        if (symbol.equals("sops")) {
            return new Store(symbol, fields, null, Map.of());
        }
        if (modeSymbol != null) {
            return new Store(symbol, fields, simple(ConfigChecks.signInClass(symbol, modeSymbol)), modeFields);
        }
        // The flat attributes of earlier releases: the mode they select, and its fields moved into it.
        Map<String, String> flat = new LinkedHashMap<>();
        for (String name : FLAT_ATTRIBUTES) {
            if (fields.containsKey(name)) {
                flat.put(name, fields.remove(name));
            }
        }
        String mode = switch (symbol) {
            case "azureKeyVault" -> {
                String auth = flat.remove("auth");
                yield ConfigChecks.signInClass(symbol, auth == null ? "defaultChain"
                        : auth.equals("default") ? "defaultChain" : auth);
            }
            case "vault" -> {
                String method = flat.remove("authMethod");
                yield ConfigChecks.signInClass(symbol, method == null ? "token"
                        : method.equals("approle") ? "appRole" : method);
            }
            default -> ConfigChecks.signInClass(symbol, flat.containsKey("credentialsId") ? "credentialJson"
                    : flat.containsKey("credentialsFile") ? "credentialsFile" : "defaultChain");
        };
        return new Store(symbol, fields, simple(mode), flat);
    }

    private static String simple(String className) {
        return className.substring(PACKAGE.length());
    }

    // ---- signin-modes ---------------------------------------------------------------------------------------------

    private void modes(CaseResult r) throws IOException, InterruptedException {
        List<Store> stores = stores(cascYaml);
        liveModes(r, stores, "the applied configuration");
        exportShape(r, stores);
        pageFields(r, stores);
        managedIdentityForm(r, stores);
        testConnections(r, stores);
        vaultModes(r, stores);
    }

    /** The live configuration runs the modes {@code stores} name. */
    private void liveModes(CaseResult r, List<Store> stores, String what) throws IOException {
        Map<String, String> live = new LinkedHashMap<>();
        for (String line : jenkins.script(Groovy.LIVE_CONFIG).split("\\R")) {
            String[] cols = line.split("\t");
            if (cols.length >= 3) {
                live.put(cols[0], cols[2]);
            }
        }
        for (Store s : stores) {
            if (s.mode() != null && !s.mode().equals(live.get(s.id()))) {
                r.problem(what + ": store " + s.id() + " signs in with " + live.get(s.id()) + ", expected "
                        + s.mode());
            }
        }
    }

    private void exportShape(CaseResult r, List<Store> stores) throws IOException {
        JenkinsClient.Response export = jenkins.post("configuration-as-code/export", null, "");
        if (export.status() != 200) {
            r.problem("JCasC export answered HTTP " + export.status());
            return;
        }
        String section = ConfigChecks.kmsSection(export.body());
        if (section == null) {
            r.problem("the JCasC export has no unclassified.kmsSecrets section");
            return;
        }
        problems(r, exportProblems(section, stores));
    }

    /** What is wrong with the sign-in shape of an exported {@code kmsSecrets} section. */
    static List<String> exportProblems(String section, List<Store> stores) {
        List<String> problems = new ArrayList<>();
        // One block per store: "    - <symbol>:" then its lines.
        Map<String, String> blocks = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^    - (\\w+):\\n((?:      .*\\n?)*)").matcher(section);
        while (m.find()) {
            Matcher id = Pattern.compile("(?m)^        id: \"([^\"]+)\"").matcher(m.group(2));
            if (id.find()) {
                blocks.put(id.group(1), m.group(2));
            }
        }
        for (Store s : stores) {
            String block = blocks.get(s.id());
            if (block == null) {
                problems.add("the export lacks store " + s.id());
                continue;
            }
            if (s.mode() == null) {
                continue;
            }
            for (String name : FLAT_ATTRIBUTES) {
                if (Pattern.compile("(?m)^        " + name + ":").matcher(block).find()) {
                    problems.add("the export of store " + s.id() + " has the flat attribute " + name);
                }
            }
            String symbol = symbol(s.mode());
            if (!Pattern.compile("(?m)^        signIn:(\\s*\"?" + symbol + "\"?$|\\n          " + symbol + ":$)")
                    .matcher(block).find()) {
                problems.add("the export of store " + s.id() + " does not show signIn " + symbol);
            }
            for (Map.Entry<String, String> f : s.modeFields().entrySet()) {
                if (!block.contains("            " + f.getKey() + ": \"" + f.getValue() + "\"")) {
                    problems.add("the export of store " + s.id() + " lacks " + symbol + "." + f.getKey());
                }
            }
        }
        return problems;
    }

    /** The JCasC symbol of a mode class ({@code AzureSignIn$ClientSecret} -> {@code clientSecret}). */
    static String symbol(String mode) {
        String simple = mode.substring(mode.indexOf('$') + 1);
        return Character.toLowerCase(simple.charAt(0)) + simple.substring(1);
    }

    private void pageFields(CaseResult r, List<Store> stores) throws IOException {
        JenkinsClient.Response page = jenkins.get("manage/configure");
        if (page.status() != 200) {
            r.problem("the global configuration page answered HTTP " + page.status());
            return;
        }
        config.scan(r, "manage/configure", page.body());
        for (Store s : stores) {
            if (s.mode() != null) {
                problems(r, formProblems(page.body(), s.id(), s.mode()));
            }
        }
    }

    /**
     * What is wrong with the form of store {@code id} on the configuration page: it must hold the fields of
     * {@code mode} and none of another mode of the same store type, and its "Test connection" must be the mode's.
     * The store's form runs from its id field to its last field (the credential id prefix).
     */
    static List<String> formProblems(String html, String id, String mode) {
        List<String> problems = new ArrayList<>();
        Matcher at = Pattern.compile("<input[^>]*name=\"_\\.id\"[^>]*value=\"" + Pattern.quote(id) + "\"").matcher(html);
        if (!at.find()) {
            problems.add("the configuration page has no form for store " + id);
            return problems;
        }
        int end = html.indexOf("name=\"_.credentialIdPrefix\"", at.end());
        String form = html.substring(at.start(), end < 0 ? html.length() : end);
        Set<String> names = new LinkedHashSet<>();
        Matcher field = Pattern.compile("name=\"_\\.(\\w+)\"").matcher(form);
        while (field.find()) {
            names.add(field.group(1));
        }
        String base = mode.substring(0, mode.indexOf('$') + 1);
        Set<String> mine = MODE_FIELDS.get(mode);
        for (String f : mine) {
            if (!names.contains(f)) {
                problems.add("store " + id + " (" + mode + "): the form lacks field " + f);
            }
        }
        MODE_FIELDS.forEach((other, fields) -> {
            if (other.startsWith(base)) {
                fields.stream().filter(f -> !mine.contains(f) && names.contains(f)).forEach(f ->
                        problems.add("store " + id + " (" + mode + "): the form shows field " + f + " of " + other));
            }
        });
        if (!form.contains("descriptorByName/" + PACKAGE + mode + "\"")) {
            problems.add("store " + id + " (" + mode + "): the form has no Test connection button of its mode");
        }
        return problems;
    }

    /**
     * Stores in modes the suite does not configure, saved through the form binding (a managed-identity Key Vault, a
     * Kubernetes Vault), run those modes and render only their fields; then the suite's stores are saved back.
     */
    private void managedIdentityForm(CaseResult r, List<Store> stores) throws IOException {
        Store akv = stores.stream().filter(s -> s.symbol().equals("azureKeyVault")).findFirst().orElse(null);
        Store vault = stores.stream().filter(s -> s.symbol().equals("vault")).findFirst().orElse(null);
        if (akv == null && vault == null) {
            return;
        }
        String json = config.formJson(false);
        StringBuilder extra = new StringBuilder();
        Map<String, String> modes = new LinkedHashMap<>();
        if (akv != null) {
            extra.append(",{\"$class\":\"" + PACKAGE + "AzureKeyVaultStoreConfig\",\"id\":\"e2e-akv-mi\",\"vaultUrl\":\""
                    + akv.fields().get("vaultUrl") + "\",\"signIn\":{\"$class\":\"" + PACKAGE
                    + "AzureSignIn$ManagedIdentity\",\"clientId\":\"\"}}");
            modes.put("e2e-akv-mi", "AzureSignIn$ManagedIdentity");
        }
        if (vault != null) {
            extra.append(",{\"$class\":\"" + PACKAGE + "VaultStoreConfig\",\"id\":\"e2e-vault-k8s\",\"address\":\""
                    + vault.fields().get("address") + "\",\"signIn\":{\"$class\":\"" + PACKAGE
                    + "VaultSignIn$Kubernetes\",\"role\":\"" + FakeServers.VAULT_K8S_ROLE + "\",\"jwtFile\":\""
                    + E2eRunner.VAULT_JWT_FILE + "\",\"authMount\":\"\"}}");
            modes.put("e2e-vault-k8s", "VaultSignIn$Kubernetes");
        }
        String withExtra = json.replaceFirst("\\],\"cacheTtl\"", Matcher.quoteReplacement(extra.toString())
                + "],\"cacheTtl\"");
        String out = jenkins.script(Groovy.formSubmit(withExtra)).strip();
        if (!out.equals("SAVED")) {
            r.problem("a form save with stores in other sign-in modes was refused: " + out);
            return;
        }
        try {
            List<Store> saved = new ArrayList<>();
            modes.forEach((id, mode) -> saved.add(new Store("", Map.of("id", id), mode, Map.of())));
            liveModes(r, saved, "after a form save");
            JenkinsClient.Response page = jenkins.get("manage/configure");
            if (page.status() != 200) {
                r.problem("the global configuration page answered HTTP " + page.status());
                return;
            }
            config.scan(r, "manage/configure with other sign-in modes", page.body());
            modes.forEach((id, mode) -> problems(r, formProblems(page.body(), id, mode)));
        } finally {
            String restored = jenkins.script(Groovy.formSubmit(json)).strip();
            if (!restored.equals("SAVED")) {
                r.problem("restoring the stores after the other sign-in modes failed: " + restored);
            }
        }
    }

    /**
     * The Vault store's AppRole (typed role id and secret-id credential, or a username/password credential) and
     * Kubernetes modes connect through their "Test connection"; a wrong role id or role is refused.
     */
    private void vaultModes(CaseResult r, List<Store> stores) throws IOException {
        Store vault = stores.stream().filter(s -> s.symbol().equals("vault")).findFirst().orElse(null);
        if (vault == null) {
            return;
        }
        String appRole = "VaultSignIn$AppRole";
        String kubernetes = "VaultSignIn$Kubernetes";
        expect(r, vault, appRole, Map.of("credentialsId", E2eRunner.VAULT_SECRET_ID_CREDENTIAL,
                "roleId", FakeServers.VAULT_ROLE_ID), true);
        expect(r, vault, appRole, Map.of("credentialsId", E2eRunner.VAULT_APPROLE_CREDENTIAL), true);
        expect(r, vault, appRole, Map.of("credentialsId", E2eRunner.VAULT_SECRET_ID_CREDENTIAL,
                "roleId", "kms-e2e-wrong-role-id"), false);
        expect(r, vault, kubernetes, Map.of("role", FakeServers.VAULT_K8S_ROLE, "jwtFile", E2eRunner.VAULT_JWT_FILE),
                true);
        expect(r, vault, kubernetes, Map.of("role", "kms-e2e-no-such-role", "jwtFile", E2eRunner.VAULT_JWT_FILE),
                false);
    }

    private void expect(CaseResult r, Store store, String mode, Map<String, String> modeFields, boolean connects)
            throws IOException {
        Map<String, String> form = new LinkedHashMap<>(store.fields());
        form.putAll(modeFields);
        String what = store.id() + " " + mode + " " + new java.util.TreeMap<>(modeFields).keySet();
        String body = post(r, "descriptorByName/" + PACKAGE + mode + "/testConnection", form, what);
        if (body != null && body.contains("Connected") != connects) {
            r.problem("Test connection of " + what + (connects ? " does not connect: " : " connects: ")
                    + JenkinsClient.abbreviate(ConfigChecks.text(body)));
        }
    }

    /** Each configured mode's "Test connection" (the form's button) connects; a missing credential fails. */
    private void testConnections(CaseResult r, List<Store> stores) throws IOException {
        for (Store s : stores) {
            if (s.mode() == null || s.symbol().equals("googleSecretManager") && s.modeFields().isEmpty()) {
                continue;
            }
            String url = "descriptorByName/" + PACKAGE + s.mode() + "/testConnection";
            Map<String, String> form = new LinkedHashMap<>(s.fields());
            form.putAll(s.modeFields());
            String ok = post(r, url, form, s.id() + " " + s.mode());
            if (ok != null && !ok.contains("Connected")) {
                r.problem("Test connection of " + s.id() + " (" + s.mode() + ") does not say Connected: "
                        + JenkinsClient.abbreviate(ConfigChecks.text(ok)));
            }
            if (form.containsKey("credentialsId")) {
                form.put("credentialsId", "kms-e2e-no-such-credential");
                String missing = post(r, url, form, s.id() + " with a missing credential");
                if (missing != null && (missing.contains("Connected") || !missing.contains("kms-e2e-no-such-credential"))) {
                    r.problem("Test connection of " + s.id() + " with a missing credential says: "
                            + JenkinsClient.abbreviate(ConfigChecks.text(missing)));
                }
            }
        }
        // The store-level URL of earlier releases, with the flat fields.
        for (Store s : stores) {
            if (s.symbol().equals("vault")) {
                Map<String, String> flat = new LinkedHashMap<>(s.fields());
                flat.put("authMethod", "token");
                flat.put("credentialsId", s.modeFields().get("credentialsId"));
                String ok = post(r, "descriptorByName/" + PACKAGE + "VaultStoreConfig/testConnection", flat,
                        s.id() + " flat fields");
                if (ok != null && !ok.contains("Connected")) {
                    r.problem("the store-level Test connection with flat fields does not say Connected: "
                            + JenkinsClient.abbreviate(ConfigChecks.text(ok)));
                }
            }
        }
    }

    private String post(CaseResult r, String url, Map<String, String> form, String what) throws IOException {
        JenkinsClient.Response response = jenkins.postForm(url, form);
        if (response.status() != 200) {
            r.problem("Test connection (" + what + ") answered HTTP " + response.status());
            return null;
        }
        config.scan(r, "Test connection (" + what + ")", response.body());
        return response.body();
    }

    // ---- signin-old-config ----------------------------------------------------------------------------------------

    private void oldConfig(CaseResult r) throws IOException, InterruptedException {
        List<Store> stores = stores(cascYaml);
        String file = jenkins.script(Groovy.CONFIG_FILE).strip();
        if (file.equals("MISSING")) {
            r.problem(Groovy.CONFIG_CLASS + ".xml does not exist in JENKINS_HOME");
            return;
        }
        String current = new String(Base64.getDecoder().decode(file), StandardCharsets.UTF_8);
        String old = toOldFormat(current);
        if (old.contains("<signIn")) {
            r.problem("the configuration file still has a signIn element after conversion to the old format");
        }
        int flat = count(old, "<auth>") + count(old, "<authMethod>") + count(old, "<credentialsId>");
        if (flat == 0) {
            r.problem("the old-format configuration file has no flat sign-in element");
        }
        String written = jenkins.script(Groovy.writeConfigFile(old.getBytes(StandardCharsets.UTF_8))).strip();
        if (!written.equals("WRITTEN")) {
            r.problem("writing the old-format configuration file failed: " + written);
            return;
        }
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
        liveModes(r, stores, "after loading the old-format config.xml");
        String saved = jenkins.script(Groovy.SAVE_CONFIG).strip();
        String after = new String(Base64.getDecoder().decode(jenkins.script(Groovy.CONFIG_FILE).strip()),
                StandardCharsets.UTF_8);
        if (!saved.equals("SAVED") || count(after, "<signIn") != stores.stream().filter(s -> s.mode() != null).count()
                || after.contains("<auth>") || after.contains("<authMethod>")) {
            r.problem("the save after loading the old format did not write one signIn element per store ("
                    + count(after, "<signIn") + " written)");
        }
    }

    /**
     * {@code xml} as earlier releases wrote it: each {@code <signIn class="...$Mode">fields</signIn>} replaced by the
     * flat elements ({@code auth}/{@code authMethod} and the mode's fields, which had the same names).
     */
    static String toOldFormat(String xml) {
        Matcher m = Pattern.compile("(?s)<signIn class=\"[^\"]*\\.(\\w+)\\$(\\w+)\"(?:/>|>(.*?)</signIn>)").matcher(xml);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String base = m.group(1);
            String mode = m.group(2);
            String fields = m.group(3) == null ? "" : m.group(3).strip();
            String flat = switch (base) {
                case "AzureSignIn" -> "<auth>" + (mode.equals("DefaultChain") ? "default" : symbol(mode)) + "</auth>";
                case "VaultSignIn" -> "<authMethod>" + (mode.equals("AppRole") ? "approle" : symbol(mode))
                        + "</authMethod>";
                default -> "";
            };
            m.appendReplacement(out, Matcher.quoteReplacement(flat + fields));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static void problems(CaseResult r, List<String> problems) {
        problems.forEach(r::problem);
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
