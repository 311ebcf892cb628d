package io.jenkins.plugins.kmssecrets.store.gcp;

import com.google.api.gax.core.NoCredentialsProvider;
import io.jenkins.plugins.kmssecrets.store.CredentialMapping;
import io.jenkins.plugins.kmssecrets.store.CredentialType;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.testing.SecretStoreContract;
import io.jenkins.plugins.kmssecrets.testing.gsm.FakeSecretManager;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The Google Secret Manager store against the loopback REST fake, through the real HTTP/JSON client. */
class GoogleSecretManagerStoreContractTest extends SecretStoreContract {

    private FakeSecretManager fake;

    @BeforeEach
    void seed() throws Exception {
        fake = FakeSecretManager.start("proj-1");
        fake.secret("plain-secret", Map.of()).addVersion("plain-secret", "plain-value-7f3a");
        fake.secret("rotated-secret", Map.of("jenkins-credentials-type", "string"));
        fake.addVersion("rotated-secret", "first-value-91c2");
        fake.addVersion("rotated-secret", "second-value-44be");
        fake.secret("json-secret", Map.of()).addVersion("json-secret",
                "{\"username\":\"svc\",\"password\":\"json-field-c0d9\"}");
        fake.secret("another-secret", Map.of()).addVersion("another-secret", "another-value-5d1e");
        // Label values must be lower case, so the username is an annotation (tags overlay annotations with labels).
        fake.secret("typed-secret", Map.of(CredentialMapping.TYPE_TAG, "usernamepassword", "team", "platform"))
                .addVersion("typed-secret", "typed-value-3e8a");
        fake.annotate("typed-secret", Map.of(CredentialMapping.USERNAME_TAG, "svc"));
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Override
    protected Fixtures fixtures() {
        return new Fixtures("gsm", "plain-secret", "plain-value-7f3a", "rotated-secret", "1", "first-value-91c2",
                "second-value-44be", "json-secret", "password", "json-field-c0d9", "missing-secret");
    }


    @Override
    protected TaggedSecret taggedSecret() {
        return new TaggedSecret("typed-secret", Map.of(CredentialMapping.TYPE_TAG, "usernamepassword",
                CredentialMapping.USERNAME_TAG, "svc", "team", "platform"), CredentialType.USERNAME_PASSWORD);
    }

    @Override
    protected SecretStore createStore() {
        // Small pages so every list call also follows nextPageToken.
        return GoogleSecretManagerStore.builder("gsm", "proj-1").endpoint(fake.endpoint())
                .credentials(NoCredentialsProvider.create()).pageSize(2).maxAttempts(2)
                .retryDelay(Duration.ofMillis(1)).build();
    }

    @Override
    protected long valueReads() {
        return fake.calls(FakeSecretManager.ACCESS_SECRET_VERSION);
    }

    @Override
    protected void denyAccess() {
        fake.denyAll(true);
    }

    @Override
    protected void makeUnavailable() {
        fake.unavailable(true);
    }
}
