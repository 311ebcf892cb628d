// withCredentials usernamePassword(): username from the tag, password = the value.
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
    withCredentials([usernamePassword(credentialsId: '@CRED_USERPASS@', usernameVariable: 'E2E_U',
                                      passwordVariable: 'E2E_P')]) {
        if (env.E2E_U != '@USER_USERPASS@') { error 'E2E: the username is not the tag' }
        if (sha256(env.E2E_P) != '@SHA_USERPASS@') { error 'E2E: the password is not the stored value' }
        sh 'printf "sh password: %s\\n" "$E2E_P"'
        for (String form : encodings(env.E2E_P)) { echo "groovy form: ${form}" }
        echo 'E2E-OK usernamePassword'
    }
}
