// An exception carrying a value leaves withKmsSecrets: its message is masked when caught outside the block, and
// when it fails the build.
node {
    try {
        withKmsSecrets(secrets: [[env: 'E2E_PW', ref: '@REF_PASSWORD@']]) {
            throw new IllegalStateException('carrying ' + env.E2E_PW + ' out of the block')
        }
    } catch (e) {
        echo "E2E-CAUGHT ${e.getClass().getSimpleName()}: ${e.getMessage()}"
    }
    withKmsSecrets(secrets: [[env: 'E2E_PW', ref: '@REF_PASSWORD@']]) {
        echo 'E2E-BEFORE-ERROR'
        error('E2E failing with ' + env.E2E_PW + ' in the message')
    }
}
