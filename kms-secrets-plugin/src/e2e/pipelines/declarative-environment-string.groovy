// Declarative environment { X = credentials(id) } with a secret text credential, for every store type.
@NonCPS
def sha256(String v) { java.security.MessageDigest.getInstance('SHA-256').digest(v.getBytes('UTF-8')).encodeHex().toString() }


pipeline {
    agent any
    environment {
        E2E_PW = credentials('@CRED_PASSWORD@')
    }
    stages {
        stage('use') {
            steps {
                sh 'printf "pw=%s\\n" "$E2E_PW"'
                script {
                    if (sha256(env.E2E_PW) != '@SHA_PASSWORD@') { error 'E2E: E2E_PW is not the stored value' }
                }
                echo 'E2E-OK declarative string'
            }
        }
    }
}
