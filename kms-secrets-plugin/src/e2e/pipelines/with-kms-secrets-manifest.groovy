// withKmsSecrets with a workspace manifest (kms-secrets.yaml): the same checks as the inline case.
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
    writeFile file: 'kms-secrets.yaml', text: '''stores:
  - @MANIFEST_STORE@
secrets:
  - env: E2E_PW
    ref: @REF_PASSWORD@
  - env: E2E_ML
    ref: @REF_MULTILINE@
'''
    withKmsSecrets(manifest: 'kms-secrets.yaml') {
        if (sha256(env.E2E_PW) != '@REFSHA_PASSWORD@') { error 'E2E: E2E_PW is not the stored value' }
        if (sha256(env.E2E_ML) != '@REFSHA_MULTILINE@') { error 'E2E: E2E_ML is not the stored value' }
        for (String form : encodings(env.E2E_PW)) { echo "groovy form: ${form}" }
        sh 'printf "sh raw: %s\\n" "$E2E_PW"; printf "%s\\n" "$E2E_ML"'
        echo 'E2E-OK manifest'
    }
}
