// One JSON secret feeds username and password: jenkins-credentials-username-property and jenkins-credentials-property
// select the properties. The username read from the value is part of the secret, so it is masked too.
@NonCPS
def sha256(String v) { java.security.MessageDigest.getInstance('SHA-256').digest(v.getBytes('UTF-8')).encodeHex().toString() }

node {
    withCredentials([usernamePassword(credentialsId: '@CRED_USERJSON@', usernameVariable: 'E2E_U',
                                      passwordVariable: 'E2E_P')]) {
        if (env.E2E_U != '@USER_USERJSON@') { error 'E2E: the username is not the JSON property' }
        if (sha256(env.E2E_P) != '@SHA_USERJSON@') { error 'E2E: the password is not the JSON property' }
        sh 'printf "sh password: %s\\n" "$E2E_P"'
        echo 'E2E-OK usernamePassword from JSON'
    }
}
