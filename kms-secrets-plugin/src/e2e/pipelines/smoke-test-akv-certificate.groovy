// Azure Key Vault with the client-certificate sign-in mode: the store 'e2e-akv-cert' is the same vault as 'e2e-akv'
// (client secret), signing in with a certificate and key in a PEM file on the controller (MSAL's signed client
// assertion, verified by the front door against the registered certificate). Metadata and a value read.
@NonCPS
def sha256(String v) { java.security.MessageDigest.getInstance('SHA-256').digest(v.getBytes('UTF-8')).encodeHex().toString() }

node {
    def summary = kmsSmokeTest store: 'e2e-akv-cert', secrets: ['@NAME_PASSWORD@', '@NAME_MULTILINE@'],
            junitFile: 'kms-check.xml'
    echo "E2E-SUMMARY ${summary}"
    junit 'kms-check.xml'
    withKmsSecrets(secrets: [[env: 'E2E_PW', ref: 'e2e-akv-cert:@NAME_PASSWORD@']]) {
        if (sha256(env.E2E_PW) != '@REFSHA_PASSWORD@') { error 'E2E: E2E_PW is not the stored value' }
        sh 'printf "sh raw: %s\\n" "$E2E_PW"'
        echo 'E2E-OK akv client certificate'
    }
}
