package io.jenkins.plugins.kmssecrets.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeKeyVaultServer;
import io.jenkins.plugins.kmssecrets.testing.akv.TestCertificate;
import io.jenkins.plugins.kmssecrets.testing.k8s.FakeEsoController;
import io.jenkins.plugins.kmssecrets.testing.vault.FakeVault;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Drives a running Jenkins with the kms-secrets plugin: starts the fake servers, configures the stores (JCasC),
 * creates the credentials and jobs, runs every pipeline of the suite for every store type it names, checks each
 * result against its expectation, leak-checks each build's console, {@code build.xml} and whole build directory
 * (and what it left in the workspace), runs the configuration checks, prints a summary and writes a JUnit file.
 * See README.md beside this module for the options; exit code 0 when every case passed, 1 when one failed, 2 for
 * a usage error, 3 when Jenkins or the plugin is not there.
 */
public final class E2eRunner {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SOPS_FILE = "kms-e2e/e2e.enc.yaml";
    private static final String AGE_CREDENTIAL = "kms-e2e-age-key";
    private static final String VAULT_CREDENTIAL = "kms-e2e-vault-token";
    private static final String AKV_CREDENTIAL = "kms-e2e-akv-client-secret";
    private static final String GSM_CREDENTIAL = "kms-e2e-gsm-key";
    /** The Vault AppRole secret id (secret text), and role id / secret id (username with password). */
    static final String VAULT_SECRET_ID_CREDENTIAL = "kms-e2e-vault-secret-id";
    static final String VAULT_APPROLE_CREDENTIAL = "kms-e2e-vault-approle";
    /** The service account token file of the Vault Kubernetes sign-in, under JENKINS_HOME. */
    static final String VAULT_JWT_FILE = "kms-e2e/vault-sa-token";
    private static final String AKV_CLIENT_PEM = "kms-e2e/akv-client.pem";
    /** The cache TTL the suite configures ({@link #cascYaml}). */
    static final int CACHE_TTL_SECONDS = 10;

    /** Command-line options. */
    static final class Options {
        URI jenkins;
        String user = "admin";
        Path tokenFile;
        Path suite;
        Path work;
        Path junit;
        Path jenkinsHome;
        String restartCommand;
        Set<String> stores = new LinkedHashSet<>(E2eCorpus.STORE_TYPES);
        Pattern only;
        int frontDoorPort = 443;
        boolean frontDoor = true;
        boolean configChecks = true;
        Path tlsDir = Path.of(System.getProperty("java.io.tmpdir"), "kms-e2e-tls");
        Path writeJvmFiles;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--jenkins" -> o.jenkins = URI.create(value(args, ++i, a));
                    case "--user" -> o.user = value(args, ++i, a);
                    case "--token-file" -> o.tokenFile = Path.of(value(args, ++i, a));
                    case "--suite" -> o.suite = Path.of(value(args, ++i, a));
                    case "--work" -> o.work = Path.of(value(args, ++i, a));
                    case "--junit" -> o.junit = Path.of(value(args, ++i, a));
                    case "--jenkins-home" -> o.jenkinsHome = Path.of(value(args, ++i, a));
                    case "--restart-command" -> o.restartCommand = value(args, ++i, a);
                    case "--stores" -> {
                        o.stores = new LinkedHashSet<>(List.of(value(args, ++i, a).split(",")));
                        for (String s : o.stores) {
                            if (!E2eCorpus.STORE_TYPES.contains(s)) {
                                throw new IllegalArgumentException("--stores: unknown store type '" + s + "'; known: "
                                        + String.join(",", E2eCorpus.STORE_TYPES));
                            }
                        }
                    }
                    case "--only" -> o.only = Pattern.compile(value(args, ++i, a));
                    case "--front-door-port" -> o.frontDoorPort = Integer.parseInt(value(args, ++i, a));
                    case "--no-front-door" -> o.frontDoor = false;
                    case "--no-config-checks" -> o.configChecks = false;
                    case "--tls-dir" -> o.tlsDir = Path.of(value(args, ++i, a));
                    case "--write-jvm-files" -> o.writeJvmFiles = Path.of(value(args, ++i, a));
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (o.writeJvmFiles != null) {
                return o;
            }
            if (o.jenkins == null || o.tokenFile == null) {
                throw new IllegalArgumentException("--jenkins URL and --token-file FILE are required");
            }
            if (o.suite == null) {
                o.suite = Stream.of(Path.of("pipelines"), Path.of("kms-secrets-plugin/src/e2e/pipelines"))
                        .filter(Files::isDirectory).findFirst().orElse(Path.of("pipelines"));
            }
            if (o.work == null) {
                o.work = Path.of("target", "e2e-work");
            }
            if (o.junit == null) {
                o.junit = o.work.resolve("TEST-kms-e2e.xml");
            }
            return o;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }
    }

    private final Options options;
    private final JenkinsClient jenkins;
    private final E2eCorpus corpus;
    private final List<CaseResult> results = new ArrayList<>();
    private final Map<String, String> authSecrets = new LinkedHashMap<>();
    private final Set<String> cloudBlocked = new LinkedHashSet<>();
    private String cloudBlockReason;
    private LeakChecker leakChecker;
    private int valuesSearched;
    private FakeServers servers;
    private String jenkinsVersion = "?";
    private String pluginVersion = "?";
    private String cascVersion = "?";
    private String cascYaml;
    private String credentialsScript;

    E2eRunner(Options options, String token) {
        this.options = options;
        this.jenkins = new JenkinsClient(options.jenkins, options.user, token);
        this.corpus = E2eCorpus.create(E2eCorpus.randomTag());
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("kms-e2e: " + e.getMessage());
            System.err.println("usage: kms-e2e --jenkins URL --token-file FILE [--user NAME] [--suite DIR] [--work DIR]"
                    + " [--junit FILE] [--stores sops,akv,gsm,vault] [--only REGEX] [--jenkins-home DIR]"
                    + " [--restart-command CMD] [--front-door-port N | --no-front-door] [--tls-dir DIR]"
                    + " [--no-config-checks] | --write-jvm-files DIR");
            System.exit(2);
            return;
        }
        System.setProperty(TestCertificate.KEEP_DIR_PROPERTY, options.tlsDir.toAbsolutePath().toString());
        try {
            if (options.writeJvmFiles != null) {
                FakeServers.writeJvmFiles(options.writeJvmFiles);
                System.out.println(jvmFlags(options.writeJvmFiles));
                System.exit(0);
                return;
            }
            String token = Files.readString(options.tokenFile).strip();
            int code = new E2eRunner(options, token).run();
            System.exit(code);
        } catch (IOException e) {
            System.err.println("kms-e2e: " + e.getMessage());
            System.exit(3);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(3);
        }
    }

    static String jvmFlags(Path dir) {
        Path abs = dir.toAbsolutePath();
        return "-Djdk.net.hosts.file=" + abs.resolve("hosts") + " -Djavax.net.ssl.trustStore="
                + abs.resolve("fake-truststore.p12") + " -Djavax.net.ssl.trustStorePassword="
                + FakeServers.TRUST_STORE_PASSWORD + " -Djavax.net.ssl.trustStoreType=PKCS12";
    }

    int run() throws IOException, InterruptedException {
        Instant start = Instant.now();
        List<PipelineCase> cases = PipelineCase.load(options.suite);
        Files.createDirectories(options.work);
        if (!jenkins.waitUntilUp(Duration.ofSeconds(30))) {
            System.err.println("kms-e2e: Jenkins at " + jenkins.base() + " does not answer (or refuses the API token)");
            return 3;
        }
        String[] versions = jenkins.script(Groovy.PLUGIN_VERSION).strip().split("\\R");
        pluginVersion = versions[0];
        cascVersion = versions.length > 1 ? versions[1] : "?";
        jenkinsVersion = versions.length > 2 ? versions[2] : jenkins.version();
        System.out.println("Jenkins " + jenkinsVersion + " at " + jenkins.base() + "; kms-secrets " + pluginVersion
                + "; configuration-as-code " + cascVersion);
        if (pluginVersion.startsWith("MISSING")) {
            System.err.println("kms-e2e: the kms-secrets plugin is not installed");
            return 3;
        }
        Set<String> needed = new LinkedHashSet<>(options.stores);
        needed.add("k8s");
        servers = FakeServers.start(needed, corpus, options.work.resolve("servers"));
        try {
            startFrontDoor();
            servers.writeJson(options.work.resolve("servers.json"));
            checkCloudReach();
            setUp();
            // After set-up: it adds the authentication secrets it creates to the values searched.
            buildLeakChecker();
            for (String store : options.stores) {
                credentialListing(store);
            }
            for (PipelineCase c : cases) {
                for (String store : options.stores) {
                    if (c.stores().contains(store) && selected(c.name() + " [" + store + "]")) {
                        runPipeline(c, store);
                    }
                }
            }
            if (options.configChecks) {
                configChecks();
            }
        } finally {
            servers.close();
        }
        JUnitXml.write(options.junit, "kms-secrets-e2e", results);
        return summary(Duration.between(start, Instant.now()));
    }

    private boolean selected(String label) {
        return options.only == null || options.only.matcher(label).find();
    }

    // ---- set-up -------------------------------------------------------------------------------------------------

    private void startFrontDoor() throws IOException {
        String clientSecret = "akv-client-" + E2eCorpus.random(24);
        authSecrets.put("auth:akv-client-secret", clientSecret);
        if (!options.frontDoor) {
            return;
        }
        try {
            servers.startFrontDoor(options.frontDoorPort, clientSecret);
            FakeServers.writeJvmFiles(options.tlsDir);
        } catch (BindException e) {
            System.out.println("note: cannot listen on 127.0.0.1:" + options.frontDoorPort + " (" + e.getMessage()
                    + "); Azure Key Vault and Google Secret Manager cases will be skipped");
        }
    }

    private void buildLeakChecker() {
        Map<String, String> labelled = new LinkedHashMap<>();
        for (String store : E2eCorpus.STORE_TYPES) {
            for (E2eSecret s : corpus.secrets(store).values()) {
                labelled.put(store + ":" + s.name(), s.value());
                String credential = Placeholders.credentialValue(s);
                if (!credential.equals(s.value())) {
                    labelled.put(store + ":" + s.name() + " (credential JSON)", credential);
                }
            }
        }
        if (servers.agePrivateKey() != null) {
            authSecrets.put("auth:age-key", servers.agePrivateKey());
        }
        authSecrets.put("auth:vault-token", servers.vaultToken());
        authSecrets.put("auth:vault-secret-id", servers.vaultSecretId());
        authSecrets.put("auth:vault-jwt", servers.vaultJwt());
        authSecrets.put("eso:generated-secret", FakeEsoController.SENTINEL);
        labelled.putAll(authSecrets);
        labelled.putAll(ScopeChecks.values());
        labelled.putAll(AccessChecks.values());
        valuesSearched = labelled.size();
        leakChecker = new LeakChecker(labelled);
    }

    /** Whether the Jenkins JVM reaches the cloud host names on the front door (hosts file and trust store). */
    private void checkCloudReach() throws IOException {
        Set<String> cloud = new LinkedHashSet<>(options.stores);
        cloud.retainAll(Set.of("akv", "gsm"));
        if (cloud.isEmpty()) {
            return;
        }
        String reach = servers.frontDoor() == null ? "no front door" : jenkins.script(Groovy.CLOUD_REACH).strip();
        if (!reach.startsWith("127.0.0.1") || reach.endsWith("Exception")) {
            cloudBlocked.addAll(cloud);
            cloudBlockReason = "the Jenkins JVM does not reach the cloud host names on 127.0.0.1 (" + reach + ")";
            System.out.println("note: " + cloudBlockReason + "; start it with " + jvmFlags(options.tlsDir)
                    + " (files from --write-jvm-files " + options.tlsDir + "); skipping the "
                    + String.join(" and ", cloud) + " cases");
        }
    }

    private void setUp() throws IOException {
        StringBuilder credentials = new StringBuilder(Groovy.CREDENTIALS_PRELUDE);
        if (servers.sopsFile() != null) {
            jenkins.script(Groovy.writeControllerFile(SOPS_FILE, Files.readAllBytes(servers.sopsFile())));
            credentials.append(Groovy.secretText(AGE_CREDENTIAL, "kms-e2e: age identity of the SOPS store",
                    servers.agePrivateKey()));
        }
        if (servers.akvClientCertificatePem() != null) {
            String pem = servers.akvClientCertificatePem();
            authSecrets.put("auth:akv-client-key", pem.substring(0, pem.indexOf("-----BEGIN CERTIFICATE-----")));
            jenkins.script(Groovy.writeControllerFile(AKV_CLIENT_PEM, pem.getBytes(StandardCharsets.US_ASCII)));
        }
        credentials.append(Groovy.secretText(VAULT_CREDENTIAL, "kms-e2e: Vault token", servers.vaultToken()));
        if (servers.vault() != null) {
            // The Vault store's AppRole and Kubernetes sign-in modes (their Test connection, case signin-modes).
            credentials.append(Groovy.secretText(VAULT_SECRET_ID_CREDENTIAL, "kms-e2e: Vault AppRole secret id",
                    servers.vaultSecretId()));
            credentials.append(Groovy.usernamePassword(VAULT_APPROLE_CREDENTIAL, "kms-e2e: Vault AppRole",
                    FakeServers.VAULT_ROLE_ID, servers.vaultSecretId()));
            jenkins.script(Groovy.writeControllerFile(VAULT_JWT_FILE,
                    servers.vaultJwt().getBytes(StandardCharsets.US_ASCII)));
        }
        credentials.append(Groovy.secretText(AKV_CREDENTIAL, "kms-e2e: Entra client secret",
                authSecrets.get("auth:akv-client-secret")));
        if (servers.gsm() != null) {
            String key = googleServiceAccountKey();
            credentials.append(Groovy.secretFile(GSM_CREDENTIAL, "kms-e2e: Google service account key", "key.json",
                    key.getBytes(StandardCharsets.UTF_8)));
        }
        if (servers.kubeconfig() != null) {
            credentials.append(Groovy.secretFile(Placeholders.K8S_CREDENTIAL, "kms-e2e: kubeconfig of the test cluster",
                    "kubeconfig", Files.readAllBytes(servers.kubeconfig())));
            authSecrets.put("auth:kube-token", "not-a-real-token");
        }
        if (servers.sopsFile() != null) {
            String wrongKey = newAgeKey();
            authSecrets.put("auth:wrong-age-key", wrongKey);
            credentials.append(Groovy.secretText(ConfigChecks.WRONG_AGE_CREDENTIAL,
                    "kms-e2e: an age identity that is not a recipient of the SOPS file", wrongKey));
        }
        credentials.append("println 'OK'\n");
        credentialsScript = credentials.toString();
        expect("creating credentials", jenkins.script(credentialsScript), "OK");
        cascYaml = cascYaml();
        Files.writeString(options.work.resolve("kms-e2e-casc.yaml"), cascYaml);
        applyCasc(cascYaml);
    }

    private static String newAgeKey() {
        try {
            return new String(new com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator().generateKeyPair()
                    .getPrivate().getEncoded(), StandardCharsets.US_ASCII);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("could not generate an age key", e);
        }
    }

    private String googleServiceAccountKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                    .encodeToString(generator.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
            authSecrets.put("auth:gsm-private-key", pem);
            Map<String, String> key = new LinkedHashMap<>();
            key.put("type", "service_account");
            key.put("project_id", FakeServers.GSM_PROJECT);
            key.put("private_key_id", "0123456789abcdef0123456789abcdef01234567");
            key.put("private_key", pem);
            key.put("client_email", "kms-e2e@" + FakeServers.GSM_PROJECT + ".iam.gserviceaccount.com");
            key.put("client_id", "100000000000000000001");
            key.put("token_uri", servers.frontDoor() != null ? "https://oauth2.googleapis.com/token"
                    : servers.gsm().tokenUri());
            return JSON.writeValueAsString(key);
        } catch (Exception e) {
            throw new IllegalStateException("could not create the Google key", e);
        }
    }

    /** The JCasC YAML configuring the four stores (and a short cache TTL, so the outage case sees a refresh). */
    String cascYaml() {
        StringBuilder y = new StringBuilder("unclassified:\n  kmsSecrets:\n    cacheTtl: \"" + CACHE_TTL_SECONDS
                + "s\"\n    stores:\n");
        if (servers.sopsFile() != null) {
            y.append("      - sops:\n          id: \"e2e-sops\"\n          file: \"").append(SOPS_FILE)
                    .append("\"\n          credentialsId: \"").append(AGE_CREDENTIAL).append("\"\n");
        }
        if (servers.akv() != null) {
            String url = servers.frontDoor() != null
                    ? "https://" + FrontDoor.VAULT_HOST + ":" + servers.akv().vaultUrl().getPort() + "/"
                    : servers.akv().vaultUrl().toString();
            // The rotate case's stores let kmsRotate write (allowRotation); the others keep the default (it may not).
            y.append("      - azureKeyVault:\n          id: \"e2e-akv\"\n          vaultUrl: \"").append(url)
                    .append("\"\n          allowRotation: \"true\"")
                    .append("\n          signIn:\n            clientSecret:\n              tenantId: \"")
                    .append(FakeKeyVaultServer.TENANT).append("\"\n              clientId: \"")
                    .append(FakeServers.ENTRA_CLIENT_ID).append("\"\n              credentialsId: \"")
                    .append(AKV_CREDENTIAL).append("\"\n");
            // The same vault with the client-certificate sign-in (a PEM on the controller), written with the flat
            // attributes of earlier releases (auth, tenantId, ...) to prove they still apply.
            y.append("      - azureKeyVault:\n          id: \"e2e-akv-cert\"\n          vaultUrl: \"").append(url)
                    .append("\"\n          auth: \"clientCertificate\"\n          tenantId: \"")
                    .append(FakeKeyVaultServer.TENANT).append("\"\n          clientId: \"")
                    .append(FakeServers.ENTRA_CLIENT_ID).append("\"\n          clientCertificatePath: \"")
                    .append(AKV_CLIENT_PEM).append("\"\n");
        }
        if (servers.gsm() != null) {
            y.append("      - googleSecretManager:\n          id: \"e2e-gsm\"\n          project: \"")
                    .append(FakeServers.GSM_PROJECT).append("\"\n          allowRotation: \"true\"")
                    .append("\n          signIn:\n            credentialJson:\n")
                    .append("              credentialsId: \"").append(GSM_CREDENTIAL).append("\"\n");
        }
        if (servers.vault() != null) {
            y.append("      - vault:\n          id: \"e2e-vault\"\n          address: \"").append(servers.vault().address())
                    .append("\"\n          signIn:\n            token:\n              credentialsId: \"")
                    .append(VAULT_CREDENTIAL).append("\"\n");
        }
        return y.toString();
    }

    private void applyCasc(String yaml) throws IOException {
        JenkinsClient.Response response = jenkins.post("configuration-as-code/apply", "text/yaml", yaml);
        if (response.status() / 100 == 2 || response.status() == 302) {
            return;
        }
        // Older plugins have no body-taking endpoint: the same through the plugin's API.
        expect("applying JCasC (HTTP " + response.status() + ")", jenkins.script(Groovy.cascApply(yaml)), "APPLIED");
    }

    private static void expect(String what, String output, String marker) throws IOException {
        if (!output.contains(marker)) {
            throw new IOException(what + " failed: " + JenkinsClient.abbreviate(output));
        }
    }

    // ---- credentials listing ----------------------------------------------------------------------------------

    /** Every secret of the store is listed as a credential of the right type; SOPS' unencrypted keys are not. */
    private void credentialListing(String store) throws IOException, InterruptedException {
        CaseResult r = new CaseResult("credentials-listed", store);
        if (!selected(r.label())) {
            return;
        }
        results.add(r);
        if (cloudBlocked.contains(store)) {
            r.skip(cloudBlockReason);
            return;
        }
        long t0 = System.nanoTime();
        String storeId = Placeholders.storeId(store);
        Map<String, String[]> listed = new LinkedHashMap<>();
        Map<String, E2eSecret> expected = new LinkedHashMap<>();
        for (E2eSecret s : corpus.secrets(store).values()) {
            expected.put(s.explicitId() != null ? s.explicitId() : Placeholders.credentialId(storeId, s.name()), s);
        }
        // The first listing of a store runs on first lookup; allow the cache's back-off after a failed start.
        for (int attempt = 0; attempt < 10; attempt++) {
            listed.clear();
            String out = jenkins.script(Groovy.listCredentials(""));
            for (String line : out.split("\\R")) {
                String[] cols = line.split("\t", -1);
                if (cols.length >= 2 && (cols[0].startsWith(storeId + ".") || expected.containsKey(cols[0]))) {
                    listed.put(cols[0], cols);
                }
            }
            if (listed.keySet().containsAll(expected.keySet())) {
                break;
            }
            Thread.sleep(3000);
        }
        Map<String, String> expectedType = Map.of("string", "KmsStringCredentials", "usernamePassword",
                "KmsUsernamePasswordCredentials", "file", "KmsFileCredentials", "sshUserPrivateKey",
                "KmsSshUserPrivateKey", "certificate", "KmsCertificateCredentials");
        for (Map.Entry<String, E2eSecret> e : expected.entrySet()) {
            String id = e.getKey();
            E2eSecret s = e.getValue();
            String[] cols = listed.get(id);
            String want = expectedType.get(s.type() == null ? "string" : s.type());
            if (cols == null) {
                r.problem(id + " is not listed");
            } else if (!cols[1].equals(want)) {
                r.problem(id + " is a " + cols[1] + ", expected " + want);
            }
        }
        listed.keySet().stream().filter(id -> id.contains("unencrypted"))
                .forEach(id -> r.problem(id + " is listed, but sops does not encrypt it: it is not a secret"));
        r.leaks(leakChecker.scan("credential list of " + storeId, String.join("\n",
                listed.values().stream().map(c -> String.join("\t", c)).toList())));
        r.millis((System.nanoTime() - t0) / 1_000_000);
        print(r);
    }

    // ---- pipelines ----------------------------------------------------------------------------------------------

    private void runPipeline(PipelineCase c, String store) throws IOException, InterruptedException {
        CaseResult r = new CaseResult(c.name(), store);
        results.add(r);
        if (cloudBlocked.contains(store)) {
            r.skip(cloudBlockReason);
            print(r);
            return;
        }
        long t0 = System.nanoTime();
        Placeholders p = Placeholders.forStore(corpus, store);
        Expectation expect;
        String script;
        try {
            expect = c.expectationFor(p);
            script = c.scriptFor(p);
        } catch (IllegalArgumentException e) {
            r.problem(e.getMessage());
            print(r);
            return;
        }
        String job = c.jobName(store);
        if (expect.concurrency().builds() > 1) {
            runConcurrent(r, c, store, expect, script, job);
            r.millis((System.nanoTime() - t0) / 1_000_000);
            print(r);
            return;
        }
        boolean outage = false;
        try {
            jenkins.script(Groovy.preapprove(script));
            jenkins.putJob(job, jobXml(c.name() + " for store type " + store, script));
            Integer readsBefore = servers.valueReads(store);
            Integer writesBefore = servers.valueWrites(store);
            List<io.jenkins.plugins.kmssecrets.testing.RequestLog.Request> requestsBefore = servers.requests(store);
            int number = jenkins.build(job, Duration.ofMinutes(2));
            r.build(job, number);
            Instant end = Instant.now().plusSeconds(expect.timeoutSeconds());
            boolean restarted = false;
            JsonNode info = null;
            while (Instant.now().isBefore(end)) {
                Thread.sleep(1500);
                info = safeBuildInfo(job, number);
                if (info != null && !info.path("building").asBoolean(true)) {
                    break;
                }
                String console = safeConsole(job, number);
                if (expect.outageAt() != null && !outage && console.contains(expect.outageAt())) {
                    outage(store, true, expect.outageKind());
                    outage = true;
                }
                if (expect.restartAt() != null && !restarted && console.contains(expect.restartAt())) {
                    restartJenkins();
                    restarted = true;
                }
            }
            if (info == null || info.path("building").asBoolean(true)) {
                r.problem("build did not finish within " + expect.timeoutSeconds() + " s");
                jenkins.post("job/" + job + "/" + number + "/stop", null, "");
                Thread.sleep(3000);
            }
            // A Pipeline build reports building=false a moment before its final result and the end of its log
            // ("Finished: ..."): wait for the log's last line, then read the result.
            for (int i = 0; i < 60 && !safeConsole(job, number).contains("\nFinished: "); i++) {
                Thread.sleep(500);
            }
            info = safeBuildInfo(job, number);
            if (expect.restartAt() != null && !restarted) {
                r.problem("the restart marker '" + expect.restartAt() + "' never appeared");
            }
            if (expect.outageAt() != null && !outage) {
                r.problem("the outage marker '" + expect.outageAt() + "' never appeared");
            }
            String console = jenkins.console(job, number);
            Files.writeString(options.work.resolve(job + "-" + number + ".log"), console);
            r.buildMillis(info == null ? 0 : info.path("duration").asLong());
            Integer readsAfter = servers.valueReads(store);
            Integer writesAfter = servers.valueWrites(store);
            Expectation.Outcome outcome = new Expectation.Outcome(info == null ? "UNKNOWN" : info.path("result").asText(),
                    console, secretsUsed(info), junitCount(info, "totalCount"), junitCount(info, "failCount"),
                    readsBefore == null || readsAfter == null ? null : readsAfter - readsBefore,
                    writesBefore == null || writesAfter == null ? null : writesAfter - writesBefore);
            if (outcome.valueWrites() != null && outcome.valueWrites() > 0) {
                r.note("writes at the " + store + " backend during the build: " + outcome.valueWrites());
            }
            expect.check(outcome).forEach(r::problem);
            if (outcome.valueReads() != null && outcome.valueReads() > 0) {
                r.note("value reads at the " + store + " backend during the build: " + outcome.valueReads());
                // Every request names its caller for the provider's audit log (docs/audit.md): the build's reads
                // carry "(jenkins; <job>#<number>)".
                List<io.jenkins.plugins.kmssecrets.testing.RequestLog.Request> all = servers.requests(store);
                java.util.Set<String> contexts = new java.util.TreeSet<>();
                for (var request : all.subList(requestsBefore.size(), all.size())) {
                    String agent = request.header("User-Agent");
                    int open = agent == null ? -1 : agent.indexOf(" (");
                    contexts.add(open < 0 ? String.valueOf(agent) : agent.substring(open + 1, agent.indexOf(')', open) + 1));
                }
                r.note("audit contexts at the " + store + " backend during the build: " + contexts);
                if (!contexts.contains("(jenkins; " + job + "#" + number + ")")) {
                    r.problem("no request to the " + store + " backend named the build (jenkins; " + job + "#" + number
                            + "): " + contexts);
                }
            }
            if (outage && "silent".equals(expect.outageKind())) {
                // A silent backend has not failed a request yet (they hang up to the store's limits): no health
                // warning or listing check; the case's own expectations say what the step did.
                r.note("silent outage: health warning and last-known-good listing not checked");
            } else if (outage) {
                // The administrative monitor names the store while it is down.
                JenkinsClient.Response manage = jenkins.get("manage/");
                if (manage.status() == 200 && !manage.body().contains(Placeholders.storeId(store))) {
                    r.problem("during the outage Manage Jenkins shows no store health warning naming "
                            + Placeholders.storeId(store));
                }
                if (manage.status() == 200) {
                    r.leaks(leakChecker.scan("manage/ during the outage", manage.body()));
                }
                // Last-known-good: the credentials are still listed while the store is down.
                String listed = jenkins.script(Groovy.listCredentials(Placeholders.storeId(store) + "."));
                if (!listed.contains(p.get("CRED_PASSWORD") + "\t")) {
                    r.problem("during the outage " + p.get("CRED_PASSWORD") + " is no longer listed (last-known-good lost)");
                }
            }
            leakCheckBuild(r, job, number, console, info);
            if (expect.scanHome()) {
                leakCheckHome(r);
            }
        } catch (IOException e) {
            r.problem("runner: " + e.getMessage());
        } finally {
            if (outage) {
                outage(store, false, expect.outageKind());
            }
        }
        r.millis((System.nanoTime() - t0) / 1_000_000);
        print(r);
    }

    /**
     * A case of {@code builds: N}: N builds of one parameterized job started together; the backend stopped when the
     * outage marker first shows in any of them and restored after {@code outage-for}; each build checked against the
     * expectation (or its outage alternative) and leak-checked; the backend's requests over the case checked against
     * the cache's promise.
     */
    private void runConcurrent(CaseResult r, PipelineCase c, String store, Expectation expect, String script,
            String job) throws InterruptedException {
        Expectation.Concurrency many = expect.concurrency();
        boolean outage = false;
        boolean restored = false;
        try {
            ensureExecutors(many.builds());
            jenkins.script(Groovy.preapprove(script));
            jenkins.putJob(job, jobXml(c.name() + " for store type " + store, script, "E2E_BUILD"));
            Map<String, Integer> before = servers.requestCounts(store);
            long caseStart = System.nanoTime();
            List<String> queued = new ArrayList<>();
            for (int i = 1; i <= many.builds(); i++) {
                queued.add(jenkins.queueWithParameters(job, Map.of("E2E_BUILD", Integer.toString(i))));
            }
            List<Integer> numbers = new ArrayList<>();
            for (String queue : queued) {
                numbers.add(jenkins.buildNumber(job, queue, Duration.ofMinutes(5)));
            }
            r.build(job, numbers.get(0));
            Instant end = Instant.now().plusSeconds(expect.timeoutSeconds());
            Set<Integer> running = new LinkedHashSet<>(numbers);
            long outageStart = 0;
            while (!running.isEmpty() && Instant.now().isBefore(end)) {
                Thread.sleep(1500);
                for (Integer number : List.copyOf(running)) {
                    JsonNode info = safeBuildInfo(job, number);
                    if (info != null && !info.path("building").asBoolean(true)) {
                        running.remove(number);
                    }
                    if (expect.outageAt() != null && !outage && safeConsole(job, number).contains(expect.outageAt())) {
                        outage(store, true, expect.outageKind());
                        outage = true;
                        outageStart = System.nanoTime();
                    }
                }
                if (outage && !restored && many.outageForSeconds() != null
                        && System.nanoTime() - outageStart >= many.outageForSeconds() * 1_000_000_000L) {
                    outage(store, false, expect.outageKind());
                    restored = true;
                }
            }
            if (!running.isEmpty()) {
                r.problem(running.size() + " builds did not finish within " + expect.timeoutSeconds() + " s");
                for (Integer number : running) {
                    jenkins.post("job/" + job + "/" + number + "/stop", null, "");
                }
                Thread.sleep(3000);
            }
            if (outage && !restored) {
                outage(store, false, expect.outageKind());
                restored = true;
            }
            if (expect.outageAt() != null && !outage) {
                r.problem("the outage marker '" + expect.outageAt() + "' never appeared");
            }
            long caseNanos = System.nanoTime() - caseStart;
            Map<String, Integer> served = new java.util.TreeMap<>();
            servers.requestCounts(store).forEach((kind, n) -> served.put(kind, n - before.getOrDefault(kind, 0)));
            Map<String, Integer> results = new java.util.TreeMap<>();
            long buildMillis = 0;
            for (Integer number : numbers) {
                for (int i = 0; i < 60 && !safeConsole(job, number).contains("\nFinished: "); i++) {
                    Thread.sleep(500);
                }
                JsonNode info = safeBuildInfo(job, number);
                String console = jenkins.console(job, number);
                Files.writeString(options.work.resolve(job + "-" + number + ".log"), console);
                String result = info == null ? "UNKNOWN" : info.path("result").asText();
                results.merge(result, 1, Integer::sum);
                buildMillis = Math.max(buildMillis, info == null ? 0 : info.path("duration").asLong());
                // A build that failed during the outage used no secret: only a successful one is counted.
                Integer used = result.equals(expect.result()) ? secretsUsed(info) : expect.secretsUsed();
                expect.check(new Expectation.Outcome(result, console, used, null, null, null))
                        .forEach(problem -> r.problem("#" + number + ": " + problem));
                leakCheckBuild(r, job, number, console, info);
            }
            r.buildMillis(buildMillis);
            r.note(many.builds() + " builds at once: " + results + "; backend requests served during the case "
                    + served + " over " + caseNanos / 1_000_000_000 + " s" + (outage ? ", with a "
                    + (many.outageForSeconds() == null ? "" : many.outageForSeconds() + " s ") + "outage" : ""));
            if (many.readsPerBuildMax() != null && served.containsKey(FakeVault.READ)) {
                int reads = served.get(FakeVault.READ);
                int max = many.builds() * many.readsPerBuildMax();
                if (reads > max) {
                    r.problem("value reads at the backend: " + reads + ", promised at most " + max + " ("
                            + many.readsPerBuildMax() + " per build: values are never cached, each read once a run)");
                }
            }
            if (many.listingsPerTtl() != null && served.containsKey(FakeVault.LIST)) {
                int listings = served.get(FakeVault.LIST);
                long max = 1 + many.listingsPerTtl() * (long) Math.ceil(caseNanos / 1e9 / CACHE_TTL_SECONDS);
                if (listings > max) {
                    r.problem("listings at the backend: " + listings + ", promised at most " + max + " (1 + "
                            + many.listingsPerTtl() + " per " + CACHE_TTL_SECONDS + " s cache TTL)");
                }
            }
            if (outage) {
                JenkinsClient.Response manage = jenkins.get("manage/");
                if (manage.status() == 200) {
                    r.leaks(leakChecker.scan("manage/ after the outage", manage.body()));
                }
            }
        } catch (IOException e) {
            r.problem("runner: " + e.getMessage());
        } finally {
            if (outage && !restored) {
                try {
                    outage(store, false, expect.outageKind());
                } catch (IOException e) {
                    r.problem("runner: restoring the backend: " + e.getMessage());
                }
            }
        }
    }

    /** Raises the built-in node's executors to {@code count} if it has fewer (the concurrency case needs one a build). */
    private void ensureExecutors(int count) throws IOException {
        String out = jenkins.script("def j = jenkins.model.Jenkins.get()\nif (j.numExecutors < " + count + ") {\n"
                + "  println \"raised from ${j.numExecutors} to " + count + "\"\n  j.numExecutors = " + count
                + "\n  j.save()\n}\n");
        if (out.contains("raised")) {
            System.out.println("    built-in node executors " + out.strip());
        }
    }

    private JsonNode safeBuildInfo(String job, int number) {
        try {
            return jenkins.buildInfo(job, number);
        } catch (IOException e) {
            return null; // restarting
        }
    }

    private String safeConsole(String job, int number) {
        try {
            return jenkins.console(job, number);
        } catch (IOException e) {
            return "";
        }
    }

    private static Integer secretsUsed(JsonNode info) {
        if (info == null) {
            return null;
        }
        for (JsonNode action : info.path("actions")) {
            if (action.has("secrets")) {
                return action.path("secrets").size();
            }
        }
        return null;
    }

    private static Integer junitCount(JsonNode info, String field) {
        if (info == null) {
            return null;
        }
        for (JsonNode action : info.path("actions")) {
            if (action.has("totalCount")) {
                return action.path(field).asInt();
            }
        }
        return null;
    }

    private void outage(String store, boolean down, String kind) throws IOException {
        if ("silent".equals(kind)) {
            servers.silence(store, down);
        } else if ("sops".equals(store)) {
            jenkins.script(down ? Groovy.moveControllerFile(SOPS_FILE, SOPS_FILE + ".away")
                    : Groovy.moveControllerFile(SOPS_FILE + ".away", SOPS_FILE));
        } else {
            servers.outage(store, down);
        }
        System.out.println("    " + (down ? "stopped" : "restored") + " the " + store + " backend"
                + ("silent".equals(kind) ? " (silent)" : ""));
    }

    private void restartJenkins() throws IOException, InterruptedException {
        System.out.println("    restarting Jenkins" + (options.restartCommand == null ? " (safeRestart)"
                : " (" + options.restartCommand + ")"));
        if (options.restartCommand != null) {
            Process process = new ProcessBuilder("sh", "-c", options.restartCommand).inheritIO().start();
            if (process.waitFor() != 0) {
                throw new IOException("the restart command exited with " + process.exitValue());
            }
        } else {
            jenkins.post("safeRestart", null, "");
            jenkins.waitUntilDown(Duration.ofMinutes(2));
        }
        if (!jenkins.waitUntilUp(Duration.ofMinutes(5))) {
            throw new IOException("Jenkins did not come back within 5 minutes after the restart");
        }
    }

    static String jobXml(String description, String script) {
        return jobXml(description, script, null);
    }

    /** A Pipeline job; with {@code parameter}, the job takes that string parameter. */
    static String jobXml(String description, String script, String parameter) {
        String properties = parameter == null ? "  <properties/>\n"
                : "  <properties>\n    <hudson.model.ParametersDefinitionProperty>\n      <parameterDefinitions>\n"
                + "        <hudson.model.StringParameterDefinition>\n          <name>" + JUnitXml.escape(parameter)
                + "</name>\n          <defaultValue>1</defaultValue>\n          <trim>true</trim>\n"
                + "        </hudson.model.StringParameterDefinition>\n      </parameterDefinitions>\n"
                + "    </hudson.model.ParametersDefinitionProperty>\n  </properties>\n";
        return "<?xml version='1.1' encoding='UTF-8'?>\n<flow-definition plugin=\"workflow-job\">\n"
                + "  <description>kms-secrets e2e: " + JUnitXml.escape(description) + "</description>\n"
                + "  <keepDependencies>false</keepDependencies>\n" + properties
                + "  <definition class=\"org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition\" plugin=\"workflow-cps\">\n"
                + "    <script>" + JUnitXml.escape(script).replace("\n", "&#10;") + "</script>\n"
                + "    <sandbox>false</sandbox>\n  </definition>\n  <triggers/>\n  <disabled>false</disabled>\n"
                + "</flow-definition>\n";
    }

    // ---- leak check ---------------------------------------------------------------------------------------------

    private void leakCheckBuild(CaseResult r, String job, int number, String console, JsonNode info) throws IOException {
        long files0 = leakChecker.filesScanned();
        long bytes0 = leakChecker.bytesScanned();
        r.leaks(leakChecker.scan(job + " #" + number + " console", console));
        if (info != null) {
            r.leaks(leakChecker.scan(job + " #" + number + " api/json", info.toString()));
        }
        boolean sawBuildXml = false;
        for (Map.Entry<String, byte[]> file : buildFiles(job, number).entrySet()) {
            sawBuildXml |= file.getKey().equals("build.xml");
            r.leaks(leakChecker.scan(job + " #" + number + " " + file.getKey(), file.getValue()));
        }
        if (!sawBuildXml) {
            r.problem("leak check: build.xml of " + job + " #" + number + " was not found");
        }
        r.scanned(leakChecker.filesScanned() - files0, leakChecker.bytesScanned() - bytes0);
    }

    /**
     * Leak-checks every file under JENKINS_HOME but {@code plugins/}, {@code war/} and the suite's fixtures
     * ({@code kms-e2e/}): from disk with --jenkins-home, else through the script console.
     */
    private void leakCheckHome(CaseResult r) throws IOException {
        long files0 = leakChecker.filesScanned();
        Map<String, byte[]> files = new LinkedHashMap<>();
        if (options.jenkinsHome != null) {
            try (Stream<Path> walk = Files.walk(options.jenkinsHome)) {
                for (Path f : walk.filter(Files::isRegularFile).toList()) {
                    Path rel = options.jenkinsHome.relativize(f);
                    String top = rel.getName(0).toString();
                    if (!Set.of("plugins", "war", "kms-e2e").contains(top) && Files.size(f) <= 32L * 1024 * 1024) {
                        files.put("home/" + rel, Files.readAllBytes(f));
                    }
                }
            }
        } else {
            addScriptFiles(Groovy.HOME_FILES, files);
        }
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            r.leaks(leakChecker.scan("JENKINS_HOME " + file.getKey(), file.getValue()));
        }
        r.note("JENKINS_HOME leak check: " + (leakChecker.filesScanned() - files0) + " files");
    }

    /** The build directory's files (and the workspace's), read locally with --jenkins-home or via the console. */
    private Map<String, byte[]> buildFiles(String job, int number) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        if (options.jenkinsHome != null) {
            Path root = options.jenkinsHome.resolve("jobs").resolve(job).resolve("builds").resolve(Integer.toString(number));
            readTree(root, "", files);
            // Workspaces may be on agents: read them through the script console.
            addScriptFiles(Groovy.workspaceFiles(job, number), files);
            return files;
        }
        addScriptFiles(Groovy.buildFiles(job, number), files);
        addScriptFiles(Groovy.workspaceFiles(job, number), files);
        return files;
    }

    private void addScriptFiles(String script, Map<String, byte[]> files) throws IOException {
        for (String line : jenkins.script(script).split("\\R")) {
            int tab = line.lastIndexOf('\t');
            if (tab > 0) {
                files.put(line.substring(0, tab), Base64.getDecoder().decode(line.substring(tab + 1).strip()));
            }
        }
    }

    private static void readTree(Path root, String prefix, Map<String, byte[]> files) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                files.put(prefix + root.relativize(f), Files.readAllBytes(f));
            }
        }
    }

    // ---- configuration checks -----------------------------------------------------------------------------------

    private void configChecks() throws IOException, InterruptedException {
        ConfigChecks checks = new ConfigChecks(jenkins, leakChecker, cascYaml, options.work);
        runChecks(ConfigChecks.NAMES, checks::run);
        ScopeChecks scopes = new ScopeChecks(jenkins, leakChecker, servers, cascYaml, corpusValue("vault"),
                corpusValue("sops"), credentialsScript);
        runChecks(ScopeChecks.NAMES, scopes::run);
        AccessChecks access = new AccessChecks(jenkins, leakChecker, servers);
        runChecks(AccessChecks.NAMES, access::run);
    }

    /** One named check of a group (configuration, scopes, access). */
    @FunctionalInterface
    private interface NamedCheck {
        void run(String name, CaseResult r) throws IOException, InterruptedException;
    }

    /** Runs the selected checks of {@code names}, each followed by re-applying the suite's configuration. */
    private void runChecks(List<String> names, NamedCheck check) throws InterruptedException {
        for (String name : names) {
            if (!selected(name)) {
                continue;
            }
            CaseResult r = new CaseResult(name, null);
            results.add(r);
            long t0 = System.nanoTime();
            try {
                check.run(name, r);
            } catch (IOException e) {
                r.problem("runner: " + e.getMessage());
            }
            // Whatever a check did, the next one starts from the suite's configuration.
            try {
                applyCasc(cascYaml);
            } catch (IOException e) {
                r.problem("restoring the configuration: " + e.getMessage());
            }
            r.millis((System.nanoTime() - t0) / 1_000_000);
            print(r);
        }
    }

    /** The value of the corpus' "password" secret of {@code store}, or {@code null} when the store is not run. */
    private String corpusValue(String store) {
        E2eSecret secret = options.stores.contains(store) ? corpus.secrets(store).get("password") : null;
        return secret == null ? null : secret.value();
    }

    // ---- output -------------------------------------------------------------------------------------------------

    private static void print(CaseResult r) {
        String line = String.format(Locale.ROOT, "%-4s %-50s %-32s %7.1f s  %4d files %9d bytes", r.status(), r.label(),
                r.build(), r.buildMillis() > 0 ? r.buildMillis() / 1000.0 : r.millis() / 1000.0, r.files(), r.bytes());
        System.out.println(line);
        if (r.status() == CaseResult.Status.SKIP) {
            System.out.println("       skipped: " + r.skipReason());
        }
        r.problems().forEach(p -> System.out.println("       " + p));
        r.notes().forEach(n -> System.out.println("       (" + n + ")"));
        r.leaks().forEach(l -> System.out.println("       LEAK " + l));
    }

    private int summary(Duration total) {
        long pass = results.stream().filter(r -> r.status() == CaseResult.Status.PASS).count();
        long fail = results.stream().filter(r -> r.status() == CaseResult.Status.FAIL).count();
        long skip = results.stream().filter(r -> r.status() == CaseResult.Status.SKIP).count();
        long leaks = results.stream().mapToLong(r -> r.leaks().size()).sum();
        long builds = results.stream().filter(r -> !r.build().isEmpty()).count();
        long buildMillis = results.stream().mapToLong(CaseResult::buildMillis).sum();
        System.out.println();
        System.out.println("kms-secrets e2e: Jenkins " + jenkinsVersion + ", kms-secrets " + pluginVersion
                + ", configuration-as-code " + cascVersion + ", stores " + String.join(",", options.stores));
        System.out.printf(Locale.ROOT, "cases: %d (%d pipeline builds), %d passed, %d failed, %d skipped%n",
                results.size(), builds, pass, fail, skip);
        System.out.printf(Locale.ROOT, "leak check: %d files/logs, %d bytes scanned; %d values (%d corpus values, their "
                        + "Vault credential forms, %d authentication secrets) searched as %d byte strings (raw, each line, "
                        + "base64, base64url, hex, HEX, URL, JSON, shell-quoted, base64-decoded); %d leaks%n",
                leakChecker.filesScanned(), leakChecker.bytesScanned(), valuesSearched, corpus.allValues().size(),
                authSecrets.size(), leakChecker.needleCount(), leaks);
        System.out.printf(Locale.ROOT, "build time: %.1f s in builds, %.1f s in total%n", buildMillis / 1000.0,
                total.toMillis() / 1000.0);
        if (servers.frontDoor() != null) {
            System.out.println("front door requests: " + servers.frontDoor().counts());
        }
        System.out.println("JUnit: " + options.junit.toAbsolutePath());
        return fail == 0 ? 0 : 1;
    }
}
