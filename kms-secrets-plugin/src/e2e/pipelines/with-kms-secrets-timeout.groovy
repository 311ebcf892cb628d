// withKmsSecrets(timeout: 2) against a Vault that accepts every request and never answers (the runner makes it silent
// at the marker; alone, the store would wait 3 attempts x 30 s): the step fails at its own limit with one line naming
// what is still pending, the block does not run, nothing is injected (docs/plugin/steps.md, docs/reliability.md);
// kmsSmokeTest(timeout: 2) likewise.
node {
    echo 'E2E-OUTAGE-NOW'
    sleep time: 15, unit: 'SECONDS'   // the runner sees the marker; longer than the 10 s cache TTL it configures
    try {
        withKmsSecrets(timeout: 2, secrets: [[env: 'E2E_PW', ref: '@REF_PASSWORD@']]) {
            echo 'E2E-UNEXPECTED the block ran against a silent store'
        }
    } catch (e) {
        echo "E2E-KMS-ERROR ${e.getMessage()}"
    }
    echo "E2E-AFTER variable ${env.E2E_PW == null ? 'not set' : 'UNEXPECTEDLY set'}"
    // The shared execution of the other steps (OperationStep) the same way: a metadata check that never returns.
    try {
        kmsSmokeTest store: '@STORE@', secrets: ['@NAME_PASSWORD@'], timeout: 2
        echo 'E2E-UNEXPECTED the smoke test finished against a silent store'
    } catch (e) {
        echo "E2E-SMOKE-ERROR ${e.getMessage()}"
    }
}
