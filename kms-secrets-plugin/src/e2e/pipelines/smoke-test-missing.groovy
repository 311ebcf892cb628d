// kmsSmokeTest with a secret that does not exist: it fails, names the secret, and still writes the JUnit file.
node {
    def summary = kmsSmokeTest store: '@STORE@', secrets: ['@NAME_PASSWORD@', 'e2e-does-not-exist'],
            junitFile: 'kms-check.xml', unstable: true
    echo "E2E-SUMMARY ${summary}"
    junit allowEmptyResults: false, testResults: 'kms-check.xml'
}
