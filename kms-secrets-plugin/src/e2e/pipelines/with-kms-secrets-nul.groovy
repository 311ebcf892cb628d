// A value holding a NUL character cannot be an environment variable (a C string ends there): withKmsSecrets refuses
// it by variable name before the block runs, instead of passing a truncated value.
node {
    try {
        withKmsSecrets(secrets: [[env: 'E2E_NUL', ref: '@REF_NUL@']]) {
            echo 'E2E-UNEXPECTED the block ran'
        }
    } catch (e) {
        echo "E2E-NUL-ERROR ${e.getMessage()}"
    }
}
