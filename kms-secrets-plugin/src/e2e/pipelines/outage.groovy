// The store's backend stops mid-run (the runner stops it at the marker; SOPS: the file goes missing). After a cache
// refresh has failed, the credentials are still listed (last-known-good; the runner checks), but a value cannot be
// had: withKmsSecrets fails before its block runs, kmsSmokeTest reports the store unavailable, withCredentials fails
// the build, each naming the store and the secret, in the same words for every store type (docs/plugin/outage.md).
node {
    withCredentials([string(credentialsId: '@CRED_PASSWORD@', variable: 'E2E_PW')]) {
        echo 'E2E-BEFORE-OUTAGE the credential works'
    }
    echo 'E2E-OUTAGE-NOW'
    sleep time: 15, unit: 'SECONDS'   // longer than the 10 s cache TTL the runner configures
    try {
        withKmsSecrets(secrets: [[env: 'E2E_PW', ref: '@REF_PASSWORD@']]) {
            echo 'E2E-UNEXPECTED the block ran during the outage'
        }
    } catch (e) {
        echo "E2E-KMS-ERROR ${e.getMessage()}"
    }
    def summary = kmsSmokeTest store: '@STORE@', secrets: ['@NAME_PASSWORD@'], unstable: true
    echo "E2E-SMOKE-DURING-OUTAGE ${summary}"
    withCredentials([string(credentialsId: '@CRED_PASSWORD@', variable: 'E2E_PW')]) {
        echo 'E2E-UNEXPECTED a value was read during the outage'
    }
}
