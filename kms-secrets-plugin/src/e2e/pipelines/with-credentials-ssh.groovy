// withCredentials sshUserPrivateKey(): key file with the value, username from the tag.
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

node {
    withCredentials([sshUserPrivateKey(credentialsId: '@CRED_SSH@', keyFileVariable: 'E2E_KEY',
                                       usernameVariable: 'E2E_U')]) {
        if (env.E2E_U != '@USER_SSH@') { error 'E2E: the username is not the tag' }
        if (sha256(readFile(file: env.E2E_KEY, encoding: 'UTF-8').trim()) != '@SHATRIM_SSH@') {
            error 'E2E: the key file is not the stored value'
        }
        sh 'head -1 "$E2E_KEY"; test "$(wc -l < "$E2E_KEY")" -ge 3'
        sh 'cat "$E2E_KEY"'
        echo 'E2E-OK sshUserPrivateKey'
    }
}
