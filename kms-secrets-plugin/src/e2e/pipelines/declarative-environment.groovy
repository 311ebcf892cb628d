// Declarative environment { X = credentials(id) }: a username/password credential gives X (user:password), X_USR and
// X_PSW; a secret text gives X. Values are the stored ones and printing them is masked.
@NonCPS
def sha256(String v) { java.security.MessageDigest.getInstance('SHA-256').digest(v.getBytes('UTF-8')).encodeHex().toString() }

// The value's encoded forms a build could print: base64, URL-safe base64, hex, HEX, URL (form and %20), JSON, shell.
@NonCPS
def encodings(String v) {
    byte[] b = v.getBytes('UTF-8')
    [b.encodeBase64().toString(), java.util.Base64.getUrlEncoder().encodeToString(b), b.encodeHex().toString(),
     b.encodeHex().toString().toUpperCase(), java.net.URLEncoder.encode(v, 'UTF-8'),
     java.net.URLEncoder.encode(v, 'UTF-8').replace('+', '%20'), groovy.json.JsonOutput.toJson(v),
     "'" + v.replace("'", "'\\''") + "'"]
}

pipeline {
    agent any
    environment {
        E2E_UP = credentials('@CRED_USERPASS@')
        E2E_PW = credentials('@CRED_PASSWORD@')
    }
    stages {
        stage('use') {
            steps {
                sh 'test "$E2E_UP_USR" = "@USER_USERPASS@" && test "$E2E_UP" = "$E2E_UP_USR:$E2E_UP_PSW"'
                sh 'printf "usr=%s psw=%s pw=%s\\n" "$E2E_UP_USR" "$E2E_UP_PSW" "$E2E_PW"'
                script {
                    if (sha256(env.E2E_UP_PSW) != '@SHA_USERPASS@') { error 'E2E: _PSW is not the stored value' }
                    if (sha256(env.E2E_PW) != '@SHA_PASSWORD@') { error 'E2E: E2E_PW is not the stored value' }
                    for (String form : encodings(env.E2E_UP_PSW)) { echo "groovy form: ${form}" }
                }
                echo 'E2E-OK declarative'
            }
        }
    }
}
