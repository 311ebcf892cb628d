// An encrypted PEM SSH key whose passphrase is another secret of the store (jenkins-credentials-passphrase-secret):
// credentials-binding's sshUserPrivateKey binding, then a consumer outside this plugin that looks the credential up by
// id as plugins do (the credentials API's findCredentialById, as git-client and ssh-agent call it) and decrypts the
// key with the passphrase through the bouncycastle-api plugin's PEM decoder.
@NonCPS
def sha256(String v) { java.security.MessageDigest.getInstance('SHA-256').digest(v.getBytes('UTF-8')).encodeHex().toString() }

@NonCPS
def decryptedKeyAlgorithm(String id, def build) {
    def c = com.cloudbees.plugins.credentials.CredentialsProvider.findCredentialById(id,
            com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey, build)
    if (c == null) { return 'not found' }
    def pair = jenkins.bouncycastle.api.PEMEncodable.decode(c.privateKeys[0], c.passphrase.plainText.toCharArray())
            .toKeyPair()
    return pair.private.algorithm + '/' + c.username
}

node {
    withCredentials([sshUserPrivateKey(credentialsId: '@CRED_SSHPASS@', keyFileVariable: 'E2E_KEY',
                                       passphraseVariable: 'E2E_PH', usernameVariable: 'E2E_U')]) {
        if (env.E2E_U != '@USER_SSHPASS@') { error 'E2E: the username is not the tag' }
        if (sha256(env.E2E_PH) != '@SHA_SSHPHRASE@') { error 'E2E: the passphrase is not the second secret' }
        sh 'grep -q ENCRYPTED "$E2E_KEY" && printf "sh passphrase: %s\\n" "$E2E_PH"'
    }
    String decoded = decryptedKeyAlgorithm('@CRED_SSHPASS@', currentBuild.rawBuild)
    if (decoded != 'RSA/@USER_SSHPASS@') { error "E2E: the key did not decrypt with its passphrase: ${decoded}" }
    echo 'E2E-OK sshUserPrivateKey with passphrase'
}
