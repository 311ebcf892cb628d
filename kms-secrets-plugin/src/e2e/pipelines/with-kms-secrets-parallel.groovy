// withKmsSecrets in parallel branches, each with its own values, printing in interleaved writes.
parallel first: {
    node {
        withKmsSecrets(secrets: [[env: 'E2E_PW', ref: '@REF_PASSWORD@']]) {
            sh 'for i in 1 2 3 4 5; do echo "first $i: $E2E_PW"; sleep 0.2; done'
            echo 'E2E-OK branch first'
        }
    }
}, second: {
    node {
        withKmsSecrets(secrets: [[env: 'E2E_ML', ref: '@REF_MULTILINE@']]) {
            sh 'for i in 1 2 3 4 5; do echo "second $i: $E2E_ML"; sleep 0.2; done'
            echo 'E2E-OK branch second'
        }
    }
}
