// withCredentials sshUserPrivateKey(): the key file holds the value (compared by digest), the username is the tag;
// the key file is gone after the block. Its content is not printed (credentials-binding masks the path only).
@NonCPS
def sha256(String v) { java.security.MessageDigest.getInstance('SHA-256').digest(v.getBytes('UTF-8')).encodeHex().toString() }


node {
    withCredentials([sshUserPrivateKey(credentialsId: '@CRED_SSH@', keyFileVariable: 'E2E_KEY',
                                       usernameVariable: 'E2E_U')]) {
        if (env.E2E_U != '@USER_SSH@') { error 'E2E: the username is not the tag' }
        if (sha256(readFile(file: env.E2E_KEY, encoding: 'UTF-8').trim()) != '@SHATRIM_SSH@') {
            error 'E2E: the key file is not the stored value'
        }
        sh 'test "$(wc -l < "$E2E_KEY")" -ge 3'
        echo 'E2E-OK sshUserPrivateKey'
    }
}
