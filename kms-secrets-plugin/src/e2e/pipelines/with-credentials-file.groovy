// withCredentials file(): the secret file holds the value (compared by digest) and is gone after the block (the
// runner scans the workspace). Its content is not printed: credentials-binding masks a file's path, not its content,
// for any credential store.
@NonCPS
def sha256(String v) { java.security.MessageDigest.getInstance('SHA-256').digest(v.getBytes('UTF-8')).encodeHex().toString() }


node {
    withCredentials([file(credentialsId: '@CRED_FILE@', variable: 'E2E_F')]) {
        if (sha256(readFile(file: env.E2E_F, encoding: 'UTF-8')) != '@SHA_FILE@') {
            error 'E2E: the file content is not the stored value'
        }
        sh 'test -f "$E2E_F" && echo "file name: $(basename "$E2E_F")"'
        echo 'E2E-OK file'
    }
}
