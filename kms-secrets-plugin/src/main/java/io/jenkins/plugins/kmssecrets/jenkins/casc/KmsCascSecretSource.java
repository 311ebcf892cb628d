package io.jenkins.plugins.kmssecrets.jenkins.casc;

import io.jenkins.plugins.casc.ConfigurationAsCode;
import io.jenkins.plugins.casc.ConfigurationContext;
import io.jenkins.plugins.casc.Configurator;
import io.jenkins.plugins.casc.ConfiguratorException;
import io.jenkins.plugins.casc.ConfiguratorRegistry;
import io.jenkins.plugins.casc.SecretSource;
import io.jenkins.plugins.casc.model.CNode;
import io.jenkins.plugins.casc.model.Mapping;
import io.jenkins.plugins.casc.yaml.YamlSource;
import io.jenkins.plugins.casc.yaml.YamlUtils;
import io.jenkins.plugins.kmssecrets.jenkins.config.ConfiguredStores;
import io.jenkins.plugins.kmssecrets.jenkins.config.KmsSecretsConfiguration;
import io.jenkins.plugins.kmssecrets.jenkins.config.KmsStoreConfig;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.JsonProperty;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.jenkinsci.plugins.variant.OptionalExtension;

/**
 * {@code ${kms:<store>/<name>}} and {@code ${kms:<store>/<name>#<property>}} in {@code jenkins.yaml} (also
 * {@code @<version>} after the name): the value of a secret of a configured store, read when JCasC applies the file.
 *
 * <p>Bootstrap order: a store id resolves first among the stores of the {@code unclassified: kmsSecrets: stores:}
 * section of the configuration files JCasC reads ({@code CASC_JENKINS_CONFIG} or {@code $JENKINS_HOME/jenkins.yaml};
 * local files and directories), so a reference can use a store defined in the same file before JCasC has applied that
 * section; then among the stores already configured in Jenkins. A store's own settings cannot use {@code ${kms:...}}
 * and its sign-in is read when the reference resolves: from a file on the controller (an age key file, a certificate
 * file, a Google credentials file, the Kubernetes service-account token) or a Jenkins credential that exists already.
 *
 * <p>A reference that cannot be resolved fails the configuration with the reference named (never an empty string);
 * the value is never logged. Use references in secret fields: JCasC exports those encrypted, never as plain text.
 */
@OptionalExtension(requirePlugins = "configuration-as-code")
public final class KmsCascSecretSource extends SecretSource {

    static final String PREFIX = "kms:";

    private static final Logger LOGGER = Logger.getLogger(KmsCascSecretSource.class.getName());
    private static final ThreadLocal<Boolean> READING_STORES = ThreadLocal.withInitial(() -> Boolean.FALSE);

    /** The stores of the configuration files, read once per JCasC run ({@link #init()}). */
    private ConfiguredStores fileStores;

    /** Called by JCasC before each configuration run: the files may have changed. */
    @Override
    public synchronized void init() {
        if (fileStores != null) {
            fileStores.close();
            fileStores = null;
        }
    }

    @Override
    public Optional<String> reveal(String secret) throws IOException {
        if (secret == null || !secret.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String text = secret.substring(PREFIX.length());
        if (READING_STORES.get()) {
            throw new IOException("kms-secrets: ${" + secret + "} is used in the settings of a KMS Secrets store; a "
                    + "store signs in with a file or an existing Jenkins credential, not with another store's secret");
        }
        SecretReference reference;
        try {
            reference = parse(text);
        } catch (SecretStoreException e) {
            throw new IOException("kms-secrets: ${" + secret + "}: " + e.getMessage());
        }
        try {
            return Optional.of(read(reference));
        } catch (SecretStoreException e) {
            throw new IOException("kms-secrets: ${" + secret + "} cannot be resolved: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new IOException("kms-secrets: ${" + secret + "} cannot be resolved: " + e.getClass().getSimpleName());
        }
    }

    /** {@code store/name[@version][#property]} as a reference; the store id ends at the first {@code /}. */
    static SecretReference parse(String text) {
        int slash = text.indexOf('/');
        int colon = text.indexOf(':');
        if (slash <= 0 || colon >= 0 && colon < slash) {
            throw new io.jenkins.plugins.kmssecrets.store.InvalidInputException(null, null,
                    "expected ${kms:<store>/<name>} or ${kms:<store>/<name>#<property>}");
        }
        return SecretReference.parse(text.substring(0, slash) + ":" + text.substring(slash + 1));
    }

    private String read(SecretReference reference) {
        ConfiguredStores stores = storesHolding(reference.storeId());
        SecretReference whole = new SecretReference(reference.storeId(), reference.name(), reference.version(), null);
        try (SecretValue value = stores.fetch(whole)) {
            if (reference.property() == null) {
                return new String(value.bytes(), StandardCharsets.UTF_8);
            }
            try (SecretValue selected = JsonProperty.select(value, reference.property(), reference.storeId(),
                    reference.name())) {
                return new String(selected.bytes(), StandardCharsets.UTF_8);
            }
        }
    }

    /** The configuration files' stores when they define {@code storeId}, else the live global configuration. */
    private synchronized ConfiguredStores storesHolding(String storeId) {
        if (fileStores == null) {
            fileStores = ConfiguredStores.standalone(readFileStores());
        }
        return fileStores.ids().contains(storeId) ? fileStores : KmsSecretsConfiguration.get().runtime();
    }

    /** The {@code unclassified.kmsSecrets.stores} of JCasC's configuration files; none when there are none. */
    @SuppressWarnings("rawtypes") // YamlUtils.loadFrom takes a raw List<YamlSource>
    private static List<KmsStoreConfig> readFileStores() {
        List<YamlSource> sources = new ArrayList<>();
        List<String> configured = ConfigurationAsCode.get().getSources();
        for (String source : configured == null ? List.<String>of() : configured) {
            Path path;
            try {
                path = Path.of(source);
            } catch (RuntimeException notAPath) {
                continue; // a URL: not read for bootstrap
            }
            if (Files.isRegularFile(path)) {
                sources.add(YamlSource.of(path));
            } else if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.walk(path)) {
                    files.filter(f -> Files.isRegularFile(f) && f.toString().matches(".*\\.ya?ml"))
                            .sorted().forEach(f -> sources.add(YamlSource.of(f)));
                } catch (IOException e) {
                    LOGGER.log(Level.WARNING, "kms-secrets: cannot list {0}", path);
                }
            }
        }
        List<KmsStoreConfig> stores = new ArrayList<>();
        if (sources.isEmpty()) {
            return stores;
        }
        boolean outer = READING_STORES.get();
        READING_STORES.set(Boolean.TRUE);
        try {
            ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
            Mapping root = YamlUtils.loadFrom(sources, context);
            CNode unclassified = root.get("unclassified");
            CNode kms = unclassified == null ? null : unclassified.asMapping().get("kmsSecrets");
            CNode list = kms == null ? null : kms.asMapping().get("stores");
            if (list == null) {
                return stores;
            }
            Configurator<KmsStoreConfig> configurator = context.lookupOrFail(KmsStoreConfig.class);
            for (CNode node : list.asSequence()) {
                stores.add(configurator.configure(node.clone(), context));
            }
        } catch (ConfiguratorException e) {
            // JCasC's own message names the file position; it holds no resolved value.
            LOGGER.log(Level.WARNING, "kms-secrets: the stores of the configuration files cannot be read: {0}",
                    e.getMessage());
        } finally {
            READING_STORES.set(outer);
        }
        return stores;
    }
}
