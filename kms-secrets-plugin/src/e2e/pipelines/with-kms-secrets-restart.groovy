// withKmsSecrets survives a controller restart inside the block: after the restart the values are still bound and
// still masked. The runner restarts Jenkins when it sees the marker.
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
    withKmsSecrets(secrets: [[env: 'E2E_PW', ref: '@REF_PASSWORD@'], [env: 'E2E_ML', ref: '@REF_MULTILINE@']]) {
        sh 'echo "before restart: $E2E_PW"'
        echo 'E2E-RESTART-NOW'
        sleep time: 45, unit: 'SECONDS'
        sh 'echo "after restart: $E2E_PW"; echo "after restart: $E2E_ML"'
        for (String form : encodings(env.E2E_PW)) { echo "after restart form: ${form}" }
        if (sha256(env.E2E_PW) != '@REFSHA_PASSWORD@') { error 'E2E: E2E_PW differs after the restart' }
        echo 'E2E-OK restart'
    }
}
