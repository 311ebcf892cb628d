// kmsRotate: a dry run (the default) prints the plan with the ExternalSecret declared in the workspace and the
// cluster's live ones, and writes nothing; apply: true writes a new generated version (never seen by the script)
// and, without a cluster, says it was not pushed. The new value is read back through a credential, masked.
@NonCPS
def sha256(String v) { java.security.MessageDigest.getInstance('SHA-256').digest(v.getBytes('UTF-8')).encodeHex().toString() }

node {
    deleteDir()
    writeFile file: 'kms-secrets.yaml', text: '''stores:
  - @MANIFEST_STORE@
externalSecrets:
  - name: e2e-rotate-@STORE_TYPE@
    app: e2e-rotate-@STORE_TYPE@
    namespace: @K8S_NAMESPACE@
    store: @ESO_STORE@
    keys:
      password: @REF_ROTATE@
'''
    kmsExternalSecretsDeclare manifest: 'kms-secrets.yaml'
    def planned = kmsRotate ref: '@REF_ROTATE@', generate: 'length=32', reportFile: 'plan.json',
            credentialsId: '@K8S_CRED@', context: '@K8S_CONTEXT@'
    echo "E2E-PLAN ${planned}"
    if (!readFile('plan.json').contains('e2e-rotate-@STORE_TYPE@')) { error 'E2E: the plan report lacks the ExternalSecret' }
    withCredentials([string(credentialsId: '@CRED_ROTATE@', variable: 'E2E_OLD')]) {
        if (sha256(env.E2E_OLD) != '@SHA_ROTATE@') { error 'E2E: the dry run changed the value' }
    }
    def rotated = kmsRotate ref: '@REF_ROTATE@', generate: 'length=32', apply: true, junitFile: 'rotate.xml'
    echo "E2E-ROTATED ${rotated}"
    junit 'rotate.xml'
    withCredentials([string(credentialsId: '@CRED_ROTATE@', variable: 'E2E_NEW')]) {
        if (sha256(env.E2E_NEW) == '@SHA_ROTATE@') { error 'E2E: the value did not change' }
        if (env.E2E_NEW.length() != 32) { error 'E2E: the new value is not 32 characters' }
        sh 'printf "sh new: %s\\n" "$E2E_NEW"'
    }
    echo 'E2E-OK rotate'
}
