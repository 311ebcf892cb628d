// withCredentials string(): a KMS credential (secret text) bound by credentials-binding. The value is the stored one,
// and what the build prints of it (raw, each line, encoded) must be masked: credentials-binding masks the raw value
// only, unless the plugin contributes the other forms (issue 16 §3).
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
    withCredentials([string(credentialsId: '@CRED_PASSWORD@', variable: 'E2E_PW'),
                     string(credentialsId: '@CRED_MULTILINE@', variable: 'E2E_ML')]) {
        if (sha256(env.E2E_PW) != '@SHA_PASSWORD@') { error 'E2E: the credential value is not the stored one' }
        if (sha256(env.E2E_ML) != '@SHA_MULTILINE@') { error 'E2E: the multi-line credential value is not the stored one' }
        sh 'printf "sh raw: %s\\n" "$E2E_PW"'
        sh 'printf "%s\\n" "$E2E_ML"'
        for (String form : encodings(env.E2E_PW)) { echo "groovy form: ${form}" }
        echo 'E2E-OK string'
    }
}
