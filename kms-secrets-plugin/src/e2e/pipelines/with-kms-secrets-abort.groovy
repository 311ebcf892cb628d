// An abort reaches the fetch: Jenkins' own timeout step (which stops the step as the Stop button does) around a
// withKmsSecrets without its own timeout, against a Vault that accepts every request and never answers (silent from
// the marker on; alone, the store would wait 3 attempts x 30 s). The build goes on at once, the block never runs;
// the runner's bound (timeout below) is far under the store's own limits.
node {
    echo 'E2E-OUTAGE-NOW'
    sleep time: 15, unit: 'SECONDS'   // the runner sees the marker; longer than the 10 s cache TTL it configures
    try {
        timeout(time: 3, unit: 'SECONDS') {
            withKmsSecrets(secrets: [[env: 'E2E_PW', ref: '@REF_PASSWORD@']]) {
                echo 'E2E-UNEXPECTED the block ran against a silent store'
            }
        }
    } catch (e) {
        echo "E2E-ABORTED ${e.getClass().getSimpleName()}"
    }
    echo 'E2E-CHECK-THREADS'
    sleep time: 10, unit: 'SECONDS'   // the fetch's worker has ended by now (checked by hand with jstack, see report)
    echo "E2E-AFTER variable ${env.E2E_PW == null ? 'not set' : 'UNEXPECTEDLY set'}"
}
