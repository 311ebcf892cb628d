package io.jenkins.plugins.kmssecrets.testing;

import io.jenkins.plugins.kmssecrets.store.AccessDeniedException;
import io.jenkins.plugins.kmssecrets.store.CredentialMapping;
import io.jenkins.plugins.kmssecrets.store.CredentialType;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.StoreUnavailableException;
import java.util.Map;

/**
 * The contract suite on a store without versions or JSON properties: shows how a backend such as SOPS leaves the
 * version and property fixtures {@code null} so those tests are skipped, not failed.
 */
class InMemorySecretStoreContractTest extends SecretStoreContract {

    private final InMemorySecretStore memory = new InMemorySecretStore("mem")
            .put("plain", "plain-value-in-memory")
            .put("other", "other-value-in-memory")
            .put(new SecretMetadata("mem", "typed", null, true, null, null, null, null,
                    Map.of(CredentialMapping.TYPE_TAG, "usernamePassword", CredentialMapping.USERNAME_TAG, "svc"),
                    null), "typed-value-in-memory");

    @Override
    protected Fixtures fixtures() {
        return new Fixtures("mem", "plain", "plain-value-in-memory", null, null, null, null, null, null, null,
                "missing");
    }


    @Override
    protected TaggedSecret taggedSecret() {
        return new TaggedSecret("typed", Map.of(CredentialMapping.TYPE_TAG, "usernamePassword",
                CredentialMapping.USERNAME_TAG, "svc"), CredentialType.USERNAME_PASSWORD);
    }

    @Override
    protected SecretStore createStore() {
        return memory;
    }

    @Override
    protected long valueReads() {
        return memory.valueReads();
    }

    @Override
    protected void denyAccess() {
        memory.failWith(name -> new AccessDeniedException("mem", name, "denied for the test"));
    }

    @Override
    protected void makeUnavailable() {
        memory.failWith(name -> new StoreUnavailableException("mem", name, "down for the test"));
    }
}
