// withKmsSecrets, inline references: the values are the stored ones (compared by digest), and the value and
// every encoded form printed inside the block, by Groovy or by the shell, are masked.
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
        if (sha256(env.E2E_PW) != '@REFSHA_PASSWORD@') { error 'E2E: E2E_PW is not the stored value' }
        if (sha256(env.E2E_ML) != '@REFSHA_MULTILINE@') { error 'E2E: E2E_ML is not the stored value' }
        echo "groovy raw: ${env.E2E_PW}"
        for (String form : encodings(env.E2E_PW)) { echo "groovy form: ${form}" }
        for (String form : encodings(env.E2E_ML)) { echo "groovy multi-line form: ${form}" }
        sh 'printf "sh raw: %s\\n" "$E2E_PW"'
        sh 'printf %s "$E2E_PW" | base64 -w0; echo'
        sh 'printf %s "$E2E_PW" | od -An -tx1 | tr -d " \\n"; echo'
        echo 'E2E-OK inline'
    }
}
