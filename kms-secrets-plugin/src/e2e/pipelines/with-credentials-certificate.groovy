// withCredentials certificate(): a password-less PKCS#12 key store with one key entry.
@NonCPS
def keyEntries(String path, String password) {
    def ks = java.security.KeyStore.getInstance('PKCS12')
    new File(path).withInputStream { ks.load(it, (password ?: '').toCharArray()) }
    ks.aliases().toList().count { ks.isKeyEntry(it) }
}

node {
    withCredentials([certificate(credentialsId: '@CRED_CERT@', keystoreVariable: 'E2E_KS',
                                 passwordVariable: 'E2E_KSPW')]) {
        int keys = keyEntries(env.E2E_KS, env.E2E_KSPW)
        if (keys != 1) { error "E2E: the key store holds ${keys} key entries, expected 1" }
        sh 'test -s "$E2E_KS" && echo "key store bytes: $(wc -c < "$E2E_KS")"'
        echo 'E2E-OK certificate'
    }
}
