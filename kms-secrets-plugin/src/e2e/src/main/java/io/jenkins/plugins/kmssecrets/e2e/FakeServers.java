package io.jenkins.plugins.kmssecrets.e2e;

import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jenkins.plugins.kmssecrets.testing.SopsTestWriter;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeKeyVaultServer;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeSecretVersion;
import io.jenkins.plugins.kmssecrets.testing.akv.TestCertificate;
import io.jenkins.plugins.kmssecrets.testing.gsm.FakeSecretManager;
import io.jenkins.plugins.kmssecrets.testing.k8s.EsoApiServer;
import io.jenkins.plugins.kmssecrets.testing.k8s.FakeEsoController;
import io.jenkins.plugins.kmssecrets.testing.vault.FakeVault;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The core's protocol test servers, started on 127.0.0.1 ephemeral ports and seeded with an {@link E2eCorpus}:
 * {@code vault} ({@link FakeVault}, KV v2 at {@code secret/}, the corpus under {@code e2e/}), {@code gsm}
 * ({@link FakeSecretManager}, project {@value #GSM_PROJECT}, with its OAuth token endpoint), {@code akv}
 * ({@link FakeKeyVaultServer}, HTTPS with the generated {@link TestCertificate}), {@code k8s} ({@link EsoApiServer}
 * with the ESO CRDs and a {@link FakeEsoController} that syncs namespace {@value #K8S_NAMESPACE}), and {@code sops}
 * (no server: an age key and a SOPS file written to the work directory). {@link #describe()} (and {@code
 * servers.json} from {@link #main}) says where each one is; it holds no corpus value.
 *
 * <p>Used in-process by {@link E2eRunner} (which stops and restarts them for the outage case), or on its own:
 * {@code java -cp ... io.jenkins.plugins.kmssecrets.e2e.FakeServers --servers vault,gsm,akv,k8s,sops --dir DIR}
 * starts them, writes {@code DIR/servers.json} and runs until its standard input closes or it is killed.
 */
public final class FakeServers implements AutoCloseable {

    /** The Google project the GSM fake serves. */
    public static final String GSM_PROJECT = "kms-e2e";
    /** The namespace the fake ESO controller reconciles. */
    public static final String K8S_NAMESPACE = "kms-e2e";
    /** The kubeconfig context pointing at the Kubernetes server. */
    public static final String K8S_CONTEXT = "kms-e2e";
    /** The KV v2 mount. */
    public static final String VAULT_MOUNT = "secret";
    /** The path prefix of the corpus in Vault: none, so credential ids need no mapping of {@code /}. */
    public static final String VAULT_PREFIX = "";
    /** Every server this class can start. */
    public static final List<String> ALL = List.of("sops", "akv", "gsm", "vault", "k8s");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final E2eCorpus corpus;
    private final Path dir;
    /** The token the Vault fake accepts, new for each run (so it is findable by the leak check). */
    private final String vaultToken = "hvs.e2e" + E2eCorpus.random(24);
    /** The AppRole secret id of {@link #VAULT_ROLE_ID} and the service account token of {@link #VAULT_K8S_ROLE}. */
    private final String vaultSecretId = "e2e-secret-id-" + E2eCorpus.random(24);
    private final String vaultJwt = "eyJe2e." + E2eCorpus.random(32);

    /** The AppRole role id the fake Vault accepts (not a secret). */
    static final String VAULT_ROLE_ID = "kms-e2e-role-id";
    /** The Kubernetes auth role the fake Vault accepts. */
    static final String VAULT_K8S_ROLE = "kms-e2e";
    private final Set<String> started = new LinkedHashSet<>();
    private FakeVault vault;
    private FakeSecretManager gsm;
    private FakeKeyVaultServer akv;
    private EsoApiServer k8s;
    private FakeEsoController eso;
    private Path sopsFile;
    private Path ageKeyFile;
    private String agePrivateKey;
    private Path caCertFile;
    private java.security.KeyStore akvClient;
    private Path kubeconfig;
    private FrontDoor frontDoor;

    private FakeServers(E2eCorpus corpus, Path dir) {
        this.corpus = corpus;
        this.dir = dir;
    }

    /** Starts {@code which} (names from {@link #ALL}) and seeds them; files go to {@code dir}. */
    public static FakeServers start(Set<String> which, E2eCorpus corpus, Path dir) throws IOException {
        for (String name : which) {
            if (!ALL.contains(name)) {
                throw new IllegalArgumentException("unknown server '" + name + "'; known: " + ALL);
            }
        }
        Files.createDirectories(dir);
        FakeServers servers = new FakeServers(corpus, dir);
        try {
            for (String name : ALL) {
                if (which.contains(name)) {
                    servers.startOne(name);
                }
            }
        } catch (IOException | RuntimeException e) {
            servers.close();
            throw e;
        }
        return servers;
    }

    private void startOne(String name) throws IOException {
        switch (name) {
            case "sops" -> startSops();
            case "vault" -> startVault();
            case "gsm" -> startGsm();
            case "akv" -> startAkv();
            case "k8s" -> startK8s();
            default -> throw new IllegalArgumentException(name);
        }
        started.add(name);
    }

    private void startSops() throws IOException {
        KeyPair pair;
        try {
            pair = new X25519KeyPairGenerator().generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not generate an age key", e);
        }
        agePrivateKey = new String(pair.getPrivate().getEncoded(), StandardCharsets.US_ASCII);
        Map<String, Object> tree = new LinkedHashMap<>();
        for (E2eSecret secret : corpus.secrets("sops").values()) {
            tree.put(secret.name(), secret.value());
        }
        // Not a secret (sops' unencrypted suffix): must never be offered as a credential (issue 16 §3).
        tree.put("e2e-note_unencrypted", "plain text, not a secret");
        sopsFile = dir.resolve("e2e.enc.yaml");
        Files.writeString(sopsFile, new SopsTestWriter().recipient(pair.getPublic().toString()).yaml(tree));
        ageKeyFile = dir.resolve("age-key.txt");
        Files.writeString(ageKeyFile, "# kms-secrets e2e test key\n" + agePrivateKey + "\n");
    }

    private void startVault() throws IOException {
        vault = FakeVault.start(Clock.systemUTC()).mount(VAULT_MOUNT, 2);
        vault.token(vaultToken, Duration.ZERO, false, "*:read,list");
        // The other sign-in modes of the Vault store (their logins get tokens that may read and list everything).
        vault.appRole(VAULT_ROLE_ID, vaultSecretId);
        vault.kubernetesRole(VAULT_K8S_ROLE, vaultJwt);
        for (E2eSecret secret : corpus.secrets("vault").values()) {
            String path = VAULT_PREFIX + secret.name();
            // Vault keeps a data object; the credential carries its "value" key (the e2e secrets are written that way),
            // except for JSON secrets, whose properties are the data object and whose tags name the properties.
            Map<String, String> metadata = new java.util.TreeMap<>(secret.tags(false));
            if (secret.data() != null) {
                vault.put(VAULT_MOUNT, path, new java.util.TreeMap<>(secret.data()));
            } else {
                vault.put(VAULT_MOUNT, path, Map.of("value", secret.value()));
                metadata.put("jenkins-credentials-property", "value");
            }
            vault.customMetadata(VAULT_MOUNT, path, metadata);
        }
    }

    private void startGsm() throws IOException {
        gsm = FakeSecretManager.start(GSM_PROJECT);
        for (E2eSecret secret : corpus.secrets("gsm").values()) {
            gsm.secret(secret.name(), secret.tags(true));
            gsm.addVersion(secret.name(), secret.value());
        }
    }

    private void startAkv() throws IOException {
        akv = FakeKeyVaultServer.start();
        Instant created = Instant.now().minusSeconds(3600);
        for (E2eSecret secret : corpus.secrets("akv").values()) {
            akv.put(secret.name(), FakeSecretVersion.of(FakeKeyVaultServer.versionId(secret.name(), 0), secret.value(),
                    created).withTags(secret.tags(false)));
        }
        // The Entra application's certificate, for the client-certificate sign-in mode (RSA, as MSAL signs with).
        akvClient = E2eCorpus.keytool("RSA", "CN=kms-e2e-client");
        caCertFile = dir.resolve("fake-ca.pem");
        Files.writeString(caCertFile, TestCertificate.get().certificatePem());
    }

    private void startK8s() throws IOException {
        k8s = EsoApiServer.start();
        k8s.client().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata().withName(K8S_NAMESPACE).endMetadata().build()).create();
        for (String store : List.of("akv", "gsm", "vault")) {
            k8s.createStore(K8S_NAMESPACE, "e2e-" + store, providerKey(store), true);
        }
        eso = new FakeEsoController(k8s, FakeEsoController.Mode.SYNC, K8S_NAMESPACE);
        kubeconfig = k8s.writeKubeconfig(dir.resolve("kubeconfig.yaml"), K8S_CONTEXT);
    }

    /** The Entra application (client) id the fake token endpoint accepts. */
    public static final String ENTRA_CLIENT_ID = "0c0ffee0-e2e0-4000-8000-00000000e2e0";
    /** The password of {@link #trustStore()} (a trust store holds no secret). */
    public static final String TRUST_STORE_PASSWORD = "changeit";

    /**
     * Serves the cloud stores' production host names ({@link FrontDoor}) on {@code port} and writes, for the Jenkins
     * JVM, {@code hosts} (for {@code -Djdk.net.hosts.file}) and {@code fake-truststore.p12} (for {@code
     * -Djavax.net.ssl.trustStore}, password {@value #TRUST_STORE_PASSWORD}).
     */
    public FrontDoor startFrontDoor(int port, String entraClientSecret) throws IOException {
        frontDoor = FrontDoor.start(port, ENTRA_CLIENT_ID, entraClientSecret);
        if (gsm != null) {
            frontDoor.googleBackend(gsm.endpoint());
        }
        if (akvClient != null) {
            try {
                frontDoor.clientCertificate((java.security.cert.X509Certificate) akvClient.getCertificate("e2e"));
            } catch (java.security.KeyStoreException e) {
                throw new IOException("the client certificate is unreadable", e);
            }
        }
        writeJvmFiles(dir);
        return frontDoor;
    }

    /** Writes {@code hosts} and {@code fake-truststore.p12} (and {@code fake-ca.pem}) into {@code target}. */
    public static void writeJvmFiles(Path target) throws IOException {
        Files.createDirectories(target);
        StringBuilder hosts = new StringBuilder("127.0.0.1 localhost");
        try {
            hosts.append(' ').append(java.net.InetAddress.getLocalHost().getHostName());
        } catch (java.net.UnknownHostException e) {
            // the machine's name does not resolve: nothing to add
        }
        hosts.append('\n').append("::1 localhost\n");
        for (String host : FrontDoor.HOSTS) {
            hosts.append("127.0.0.1 ").append(host).append('\n');
        }
        Files.writeString(target.resolve("hosts"), hosts.toString());
        String pem = TestCertificate.get().certificatePem();
        Files.writeString(target.resolve("fake-ca.pem"), pem);
        try {
            java.security.cert.Certificate certificate = java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("kms-e2e-fake", certificate);
            try (var out = Files.newOutputStream(target.resolve("fake-truststore.p12"))) {
                trust.store(out, TRUST_STORE_PASSWORD.toCharArray());
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("could not write the trust store", e);
        }
    }

    public FrontDoor frontDoor() {
        return frontDoor;
    }

    /** ESO's provider key for a store type. */
    public static String providerKey(String storeType) {
        return switch (storeType) {
            case "akv" -> "azurekv";
            case "gsm" -> "gcpsm";
            case "vault" -> "vault";
            default -> throw new IllegalArgumentException("ESO has no provider for store type " + storeType);
        };
    }

    // ---- access -------------------------------------------------------------------------------------------------

    public Set<String> started() {
        return Set.copyOf(started);
    }

    /** The token the Vault fake accepts (read and list everywhere). */
    public String vaultToken() {
        return vaultToken;
    }

    /** The AppRole secret id of {@link #VAULT_ROLE_ID}. */
    public String vaultSecretId() {
        return vaultSecretId;
    }

    /** The service account token the Kubernetes role {@link #VAULT_K8S_ROLE} accepts. */
    public String vaultJwt() {
        return vaultJwt;
    }

    public FakeVault vault() {
        return vault;
    }

    public FakeSecretManager gsm() {
        return gsm;
    }

    public FakeKeyVaultServer akv() {
        return akv;
    }

    public EsoApiServer k8s() {
        return k8s;
    }

    public FakeEsoController esoController() {
        return eso;
    }

    /** The Entra application's client certificate and key as PEM (Key Vault's client-certificate sign-in). */
    public String akvClientCertificatePem() {
        return akvClient == null ? null : E2eCorpus.pem(akvClient);
    }

    public String agePrivateKey() {
        return agePrivateKey;
    }

    public Path sopsFile() {
        return sopsFile;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    public Path caCertFile() {
        return caCertFile;
    }

    /**
     * Makes a store's backend fail (or recover): Key Vault and Secret Manager answer {@code 503}, Vault is sealed.
     * SOPS has no server; its outage is the file going missing, which the runner arranges on the controller.
     */
    public void outage(String store, boolean down) {
        switch (store) {
            case "akv" -> akv.unavailable(down);
            case "gsm" -> gsm.unavailable(down);
            case "vault" -> vault.sealed(down);
            default -> throw new IllegalArgumentException("no server outage for store type " + store);
        }
    }

    /**
     * Makes a store's backend silent (or lets it answer again): it accepts every request and never answers. Vault
     * only.
     */
    public void silence(String store, boolean silent) {
        if (!"vault".equals(store)) {
            throw new IllegalArgumentException("no silent outage for store type " + store);
        }
        vault.silent(silent);
    }

    /** Value reads the store type's backend has served so far, or null where it cannot tell (SOPS). */
    public Integer valueReads(String store) {
        return switch (store) {
            case "akv" -> akv == null ? null : akv.valueReads();
            case "gsm" -> gsm == null ? null : gsm.calls(FakeSecretManager.ACCESS_SECRET_VERSION);
            case "vault" -> vault == null ? null : vault.count(FakeVault.READ);
            default -> null;
        };
    }

    /**
     * Write requests the store type's backend has received so far (new versions, and version updates such as
     * disabling the previous one), refused ones included, or null where it cannot tell (SOPS).
     */
    public Integer valueWrites(String store) {
        return switch (store) {
            case "akv" -> akv == null ? null : akv.count(FakeKeyVaultServer.Operation.SET_SECRET)
                    + akv.count(FakeKeyVaultServer.Operation.UPDATE_SECRET);
            case "gsm" -> gsm == null ? null : gsm.calls(FakeSecretManager.ADD_SECRET_VERSION)
                    + gsm.calls(FakeSecretManager.DISABLE_SECRET_VERSION);
            case "vault" -> vault == null ? null : vault.count(FakeVault.WRITE) + vault.count(FakeVault.DELETE_VERSIONS);
            default -> null;
        };
    }

    /**
     * Requests the store type's backend has served so far, by kind (Vault: read, metadata, list, login ...; the others:
     * value reads only); empty where it cannot tell (SOPS).
     */
    public Map<String, Integer> requestCounts(String store) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        if ("vault".equals(store) && vault != null) {
            for (String kind : List.of(FakeVault.READ, FakeVault.METADATA, FakeVault.LIST, FakeVault.LOGIN,
                    FakeVault.LOOKUP_SELF, FakeVault.RENEW_SELF, FakeVault.CAPABILITIES)) {
                counts.put(kind, vault.count(kind));
            }
        } else {
            Integer reads = valueReads(store);
            if (reads != null) {
                counts.put(FakeVault.READ, reads);
            }
        }
        return counts;
    }

    /**
     * The requests the store type's backend has received so far, with their headers (audit context), or null where
     * there is no backend (SOPS).
     */
    public List<io.jenkins.plugins.kmssecrets.testing.RequestLog.Request> requests(String store) {
        return switch (store) {
            case "akv" -> akv == null ? null : akv.requests().all();
            case "gsm" -> gsm == null ? null : gsm.requests().all();
            case "vault" -> vault == null ? null : vault.requests().all();
            default -> null;
        };
    }

    /** Where each started server is: URLs, ports, files. No corpus value. */
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("runTag", corpus.runTag());
        if (vault != null) {
            out.put("vault", Map.of("address", vault.address().toString(), "port", vault.address().getPort(),
                    "mount", VAULT_MOUNT, "prefix", VAULT_PREFIX, "token", vaultToken));
        }
        if (gsm != null) {
            out.put("gsm", Map.of("endpoint", gsm.endpoint(), "port", java.net.URI.create(gsm.endpoint()).getPort(),
                    "tokenUri", gsm.tokenUri(), "project", GSM_PROJECT));
        }
        if (akv != null) {
            out.put("akv", Map.of("vaultUrl", akv.vaultUrl().toString(), "port", akv.vaultUrl().getPort(),
                    "tenant", FakeKeyVaultServer.TENANT, "caCertFile", caCertFile.toString(),
                    "hostNames", TestCertificate.HOST_NAMES));
        }
        if (k8s != null) {
            out.put("k8s", Map.of("url", k8s.url(), "port", java.net.URI.create(k8s.url()).getPort(),
                    "kubeconfig", kubeconfig.toString(), "context", K8S_CONTEXT, "namespace", K8S_NAMESPACE));
        }
        if (frontDoor != null) {
            out.put("frontDoor", Map.of("port", frontDoor.port(), "hosts", FrontDoor.HOSTS,
                    "hostsFile", dir.resolve("hosts").toString(),
                    "trustStore", dir.resolve("fake-truststore.p12").toString(),
                    "trustStorePassword", TRUST_STORE_PASSWORD,
                    "akvVaultUrl", "https://" + FrontDoor.VAULT_HOST + ":" + (akv == null ? 0 : akv.vaultUrl().getPort())
                            + "/", "entraClientId", ENTRA_CLIENT_ID));
        }
        if (sopsFile != null) {
            out.put("sops", Map.of("file", sopsFile.toString(), "ageKeyFile", ageKeyFile.toString()));
        }
        List<Map<String, String>> secrets = new ArrayList<>();
        for (String store : E2eCorpus.STORE_TYPES) {
            if (started.contains(store)) {
                corpus.secrets(store).values().forEach(s -> secrets.add(Map.of("store", store, "name", s.name(),
                        "type", s.type() == null ? "string" : s.type())));
            }
        }
        out.put("secrets", secrets);
        return out;
    }

    public void writeJson(Path file) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), describe());
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (frontDoor != null) {
            frontDoor.close();
        }
        if (eso != null) {
            eso.close();
        }
        if (k8s != null) {
            k8s.close();
        }
        if (akv != null) {
            akv.close();
        }
        if (gsm != null) {
            gsm.close();
        }
        if (vault != null) {
            vault.close();
        }
    }

    /** {@code --servers a,b,c} (default all), {@code --dir DIR} (default a new temporary directory). */
    public static void main(String[] args) throws Exception {
        Set<String> which = new LinkedHashSet<>(ALL);
        Path dir = null;
        int frontDoorPort = -1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--front-door" -> frontDoorPort = Integer.parseInt(args[++i]);
                case "--servers" -> which = new LinkedHashSet<>(List.of(args[++i].split(",")));
                case "--dir" -> dir = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: FakeServers [--servers " + String.join(",", ALL) + "] [--dir DIR] "
                            + "[--front-door PORT]");
                    System.exit(2);
                }
            }
        }
        if (dir == null) {
            dir = Files.createTempDirectory("kms-e2e-servers");
        }
        try (FakeServers servers = start(which, E2eCorpus.create(E2eCorpus.randomTag()), dir)) {
            if (frontDoorPort >= 0) {
                // A standalone run has no Jenkins credential to compare with: the client secret is this fixed text.
                servers.startFrontDoor(frontDoorPort, "kms-e2e-standalone-client-secret");
            }
            Path json = dir.resolve("servers.json");
            servers.writeJson(json);
            System.out.println("servers: " + String.join(",", servers.started()) + "; described in " + json);
            System.out.println("running until standard input closes (Ctrl-D) or the process is stopped");
            while (System.in.read() >= 0) {
                // keep serving
            }
        }
    }
}
