// Declarative environment { X = credentials(id) } with a secret text credential, for every store type.
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
