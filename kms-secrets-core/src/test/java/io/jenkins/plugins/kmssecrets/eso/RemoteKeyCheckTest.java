package io.jenkins.plugins.kmssecrets.eso;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.problem.Problem;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretNotFoundException;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreSet;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** --check-remote asks the mapped store with describe only. */
class RemoteKeyCheckTest {

    /** A store with fixed metadata that records describes and fails the test on any value read. */
    static final class MetadataOnlyStore implements SecretStore {
        final List<String> described = new CopyOnWriteArrayList<>();
        private final String id;
        private final String type;
        private final Map<String, Boolean> secrets;

        MetadataOnlyStore(String id, String type, Map<String, Boolean> enabledByName) {
            this.id = id;
            this.type = type;
            this.secrets = enabledByName;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public List<SecretMetadata> list() {
            throw new AssertionError("list is not needed");
        }

        @Override
        public SecretMetadata describe(SecretReference reference) {
            described.add(reference.name());
            Boolean enabled = secrets.get(reference.name());
            if (enabled == null) {
                throw new SecretNotFoundException(id, reference.name(), "not found");
            }
            return new SecretMetadata(id, reference.name(), null, enabled, null, null, null, null, Map.of(), null);
        }

        @Override
        public List<SecretMetadata> versions(String name) {
            throw new AssertionError("versions is not needed");
        }

        @Override
        public SecretValue fetch(SecretReference reference) {
            throw new AssertionError("check-remote must never read a value");
        }
    }

    private static List<ExternalSecretDocument> documents(String annotation) {
        String yaml = """
                apiVersion: external-secrets.io/v1
                kind: ExternalSecret
                metadata:
                  name: db
                  %s
                spec:
                  secretStoreRef: {name: azure-store}
                  data:
                    - {secretKey: a, remoteRef: {key: present}}
                    - {secretKey: b, remoteRef: {key: secret/disabled}}
                    - {secretKey: c, remoteRef: {key: missing}}
                    - {secretKey: d, remoteRef: {key: cert/tls}}
                  dataFrom:
                    - extract: {key: present}
                """.formatted(annotation);
        return ExternalSecretValidator.builtIn().validate(yaml, "db.yaml").documents();
    }

    @Test
    void reportsMissingAndDisabledKeysUsingDescribeOnly() {
        MetadataOnlyStore store = new MetadataOnlyStore("akv-prod", "azure-key-vault",
                Map.of("present", true, "disabled", false));
        RemoteKeyCheck check = new RemoteKeyCheck(StoreSet.of(store), Set.of("akv-prod"), null, Clock.systemUTC());

        List<Problem> problems = check.check(documents("annotations: {kms-secrets.io/store: akv-prod}"));

        assertThat(problems).extracting(p -> p.location().path() + " " + p.message()).containsExactly(
                "$.spec.data[1].remoteRef.key store 'akv-prod', secret 'disabled' is disabled",
                "$.spec.data[2].remoteRef.key store 'akv-prod', secret 'missing' does not exist");
        assertThat(store.described).containsExactly("present", "disabled", "missing", "present");
    }

    @Test
    void storeIdNotInTheManifestIsNamed() {
        RemoteKeyCheck check = new RemoteKeyCheck(StoreSet.of(), Set.of("akv-prod"), null, Clock.systemUTC());

        List<Problem> problems = check.check(documents("annotations: {kms-secrets.io/store: akv-old}"));

        assertThat(problems).singleElement().satisfies(p -> assertThat(p.message()).isEqualTo("remote keys of db "
                + "map to store 'akv-old', which the manifest does not declare; declared stores: akv-prod"));
    }

    @Test
    void withoutAnnotationTheDefaultStoreIsUsed() {
        MetadataOnlyStore store = new MetadataOnlyStore("akv-prod", "azure-key-vault",
                Map.of("present", true, "disabled", true, "missing", true));
        RemoteKeyCheck check = new RemoteKeyCheck(StoreSet.of(store), Set.of("akv-prod"), "akv-prod",
                Clock.systemUTC());

        assertThat(check.check(documents("labels: {}"))).isEmpty();
    }

    @Test
    void withoutAnnotationOrDefaultTheKeysCannotBeChecked() {
        RemoteKeyCheck check = new RemoteKeyCheck(StoreSet.of(), Set.of("akv-prod"), null, Clock.systemUTC());

        assertThat(check.check(documents("labels: {}"))).singleElement().asString()
                .contains("no kms-secrets.io/store annotation and no default store given");
    }
}
