// withCredentials certificate() on a PEM secret (private key + certificate): the plugin assembles a PKCS#12 key store
// in memory; without a passphrase tag its password is empty.
@NonCPS
def keyEntries(String path, String password) {
    def ks = java.security.KeyStore.getInstance('PKCS12')
    new File(path).withInputStream { ks.load(it, (password ?: '').toCharArray()) }
    ks.aliases().toList().count { ks.isKeyEntry(it) && ks.getCertificateChain(it).length == 1 }
}

node {
    withCredentials([certificate(credentialsId: '@CRED_CERTPEM@', keystoreVariable: 'E2E_KS',
                                 passwordVariable: 'E2E_KSPW')]) {
        int keys = keyEntries(env.E2E_KS, env.E2E_KSPW)
        if (keys != 1) { error "E2E: the key store holds ${keys} key entries with a certificate, expected 1" }
        echo 'E2E-OK certificate from PEM'
    }
}
