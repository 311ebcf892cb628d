// Declarative environment { X = credentials(id) } on a username/password credential made from one JSON secret:
// X_USR and X_PSW are its two properties, X is "user:password".
@NonCPS
def sha256(String v) { java.security.MessageDigest.getInstance('SHA-256').digest(v.getBytes('UTF-8')).encodeHex().toString() }

pipeline {
    agent any
    environment {
        E2E_UP = credentials('@CRED_USERJSON@')
    }
    stages {
        stage('use') {
            steps {
                sh 'test "$E2E_UP_USR" = "@USER_USERJSON@" && test "$E2E_UP" = "$E2E_UP_USR:$E2E_UP_PSW"'
                sh 'printf "psw=%s\\n" "$E2E_UP_PSW"'
                script {
                    if (sha256(env.E2E_UP_PSW) != '@SHA_USERJSON@') { error 'E2E: _PSW is not the JSON property' }
                }
                echo 'E2E-OK declarative JSON'
            }
        }
    }
}
