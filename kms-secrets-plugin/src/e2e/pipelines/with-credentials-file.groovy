// withCredentials file(): the secret file holds the value; printing its content must be masked; nothing is
// left in the workspace afterwards (the runner scans it).
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
    withCredentials([file(credentialsId: '@CRED_FILE@', variable: 'E2E_F')]) {
        if (sha256(readFile(file: env.E2E_F, encoding: 'UTF-8')) != '@SHA_FILE@') {
            error 'E2E: the file content is not the stored value'
        }
        sh 'test -f "$E2E_F" && echo "file name: $(basename "$E2E_F")"'
        sh 'cat "$E2E_F"'
        echo 'E2E-OK file'
    }
}
