package io.jenkins.plugins.kmssecrets.store.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeEntraAuthority;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeKeyVaultServer;
import io.jenkins.plugins.kmssecrets.testing.akv.TestCertificate;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code auth: default} with {@code AZURE_TOKEN_CREDENTIALS=prod} in the store's environment (what the Jenkins plugin
 * sets): the chain holds the environment, workload identity and managed identity credentials only, so the plugin
 * bundles neither JNA's platform library nor MSAL's persistence extension, which only the developer tools'
 * credentials load. Signs in through the environment credential at the local Entra fake: no managed-identity
 * endpoint is ever reached.
 */
class AzureProductionChainTest {

    private static final String CLIENT = "11111111-2222-3333-4444-555555555555";
    private static final String CLIENT_SECRET = "sp-secret-prod-chain-5e1a";
    private static final String VALUE = "akv-value-prod-chain-9b0d";

    /** Jars the plugin leaves out of its bundle (JNA itself comes from Jenkins core; left out here too). */
    private static final List<String> LEFT_OUT = List.of("jna-platform-", "msal4j-persistence-extension-", "jna-5");

    /** Classes of the developer tools' credentials, and what they load. */
    private static final List<String> DEVELOPER_CLASSES = List.of(
            "com.azure.identity.IntelliJCredential", "com.azure.identity.VisualStudioCodeCredential",
            "com.azure.identity.SharedTokenCacheCredential", "com.azure.identity.AzureCliCredential",
            "com.azure.identity.AzurePowerShellCredential", "com.azure.identity.AzureDeveloperCliCredential",
            "com.microsoft.aad.msal4jextensions.PersistenceTokenCacheAccessAspect", "com.sun.jna.Native");

    private FakeKeyVaultServer vault;
    private FakeEntraAuthority authority;

    @BeforeEach
    void start() {
        vault = FakeKeyVaultServer.start();
        vault.put("db-password", VALUE, Instant.parse("2026-01-01T00:00:00Z"));
        authority = FakeEntraAuthority.start().clientSecret(FakeKeyVaultServer.TENANT, CLIENT, CLIENT_SECRET);
    }

    @AfterEach
    void stop() {
        vault.close();
        authority.close();
    }

    @Test
    void productionChainSignsInFromTheStoresEnvironment() throws Exception {
        SignIn.REACHED.clear();
        assertThat(new SignIn().apply(new Object[] {vault.vaultUrl().toString(), authority.authorityHost().toString(),
                "prod", TestCertificate.get().clientContext()})).isEqualTo(VALUE);
        assertThat(SignIn.REACHED).isNotEmpty().allSatisfy(uri -> assertThat(uri.getHost()).isEqualTo("127.0.0.1"));
        assertThat(authority.tokenRequests()).isEqualTo(1);
        assertThat(authority.otherRequests()).as("instance discovery or metadata requests").isEmpty();
    }

    @Test
    void productionChainLoadsNoDeveloperCredentialAndRunsWithoutJnaOrThePersistenceExtension() throws Exception {
        try (IsolatedLoader loader = IsolatedLoader.withoutLeftOutJars()) {
            assertThat(loader.leftOut()).as("jars left out of the class path").hasSize(LEFT_OUT.size());
            Class<?> signIn = Class.forName(SignIn.class.getName(), true, loader);
            assertThat(signIn.getClassLoader()).isSameAs(loader);
            @SuppressWarnings("unchecked")
            Function<Object[], String> run = (Function<Object[], String>) signIn.getDeclaredConstructor()
                    .newInstance();
            assertThat(run.apply(new Object[] {vault.vaultUrl().toString(), authority.authorityHost().toString(),
                    "prod", TestCertificate.get().clientContext()})).isEqualTo(VALUE);
            assertThat(loader.loaded("com.azure.identity.DefaultAzureCredential")).isTrue();
            assertThat(loader.loaded("com.azure.identity.EnvironmentCredential")).isTrue();
            assertThat(DEVELOPER_CLASSES).allSatisfy(name -> assertThat(loader.loaded(name)).as(name).isFalse());
        }
        assertThat(authority.tokenRequests()).isEqualTo(1);
    }

    @Test
    void withoutTheSwitchTheChainBuildsTheDeveloperCredentials() throws Exception {
        // The control for the test above: the same loader detects the developer credentials when the chain has them.
        try (IsolatedLoader loader = IsolatedLoader.withoutLeftOutJars()) {
            Class<?> signIn = Class.forName(SignIn.class.getName(), true, loader);
            @SuppressWarnings("unchecked")
            Function<Object[], String> run = (Function<Object[], String>) signIn.getDeclaredConstructor()
                    .newInstance();
            try {
                run.apply(new Object[] {vault.vaultUrl().toString(), authority.authorityHost().toString(), "",
                        TestCertificate.get().clientContext()});
            } catch (RuntimeException | LinkageError expected) {
                // Without JNA a developer credential may fail to load: either way it was reached.
            }
            assertThat(loader.loaded("com.azure.identity.IntelliJCredential")).isTrue();
        }
    }

    /**
     * One sign-in and fetch through the production transport, in whatever class loader loaded this class. Arguments:
     * vault URL, authority host, {@code AZURE_TOKEN_CREDENTIALS} (empty: unset), and the {@code SSLContext} that
     * trusts the fakes (the test's: another class loader's {@link TestCertificate} is another certificate).
     */
    public static final class SignIn implements Function<Object[], String> {

        /** Every URI the store's client was asked to reach; anything off the loopback goes to a closed port. */
        static final List<URI> REACHED = new CopyOnWriteArrayList<>();

        private static final ProxySelector LOOPBACK_ONLY = new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                REACHED.add(uri);
                return "127.0.0.1".equals(uri.getHost()) ? List.of(Proxy.NO_PROXY)
                        : List.of(new Proxy(Proxy.Type.HTTP, new InetSocketAddress("127.0.0.1", 1)));
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
            }
        };

        @Override
        public String apply(Object[] args) {
            Map<String, String> env = new HashMap<>(Map.of("AZURE_TENANT_ID", FakeKeyVaultServer.TENANT,
                    "AZURE_CLIENT_ID", CLIENT, "AZURE_CLIENT_SECRET", CLIENT_SECRET));
            if (!((String) args[2]).isEmpty()) {
                env.put(AzureIdentityTransport.TOKEN_CREDENTIALS, (String) args[2]);
            }
            Map<String, Object> settings = Map.of("vaultUrl", args[0], "auth", "default",
                    "authorityHost", args[1], "tenantId", FakeKeyVaultServer.TENANT, "maxRetries", 0);
            AzureIdentityTransport transport = new AzureIdentityTransport(() -> java.net.http.HttpClient.newBuilder()
                    .sslContext((SSLContext) args[3]).proxy(LOOPBACK_ONLY), false);
            try (SecretStore store = new AzureKeyVaultStoreProvider(transport).create(
                    new io.jenkins.plugins.kmssecrets.store.StoreDefinition("akv", "azure-key-vault", settings, null),
                    new StoreContext(env, Path.of("."), Clock.systemUTC()));
                 SecretValue value = store.fetch(SecretReference.of("akv", "db-password"))) {
                return value.asString();
            }
        }
    }

    /** The test class path without {@link #LEFT_OUT}, parent-last for everything but the JDK. */
    static final class IsolatedLoader extends URLClassLoader {

        private final List<String> leftOut;

        private IsolatedLoader(URL[] urls, List<String> leftOut) {
            super("isolated", urls, ClassLoader.getPlatformClassLoader());
            this.leftOut = leftOut;
        }

        static IsolatedLoader withoutLeftOutJars() throws MalformedURLException {
            String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            List<URL> urls = new ArrayList<>();
            List<String> leftOut = new ArrayList<>();
            for (String entry : path.split(File.pathSeparator)) {
                String name = new File(entry).getName();
                if (LEFT_OUT.stream().anyMatch(name::startsWith)) {
                    leftOut.add(name);
                } else if (!entry.isEmpty()) {
                    urls.add(new File(entry).toURI().toURL());
                }
            }
            return new IsolatedLoader(urls.toArray(URL[]::new), leftOut);
        }

        List<String> leftOut() {
            return leftOut;
        }

        boolean loaded(String name) {
            return findLoadedClass(name) != null;
        }
    }
}
