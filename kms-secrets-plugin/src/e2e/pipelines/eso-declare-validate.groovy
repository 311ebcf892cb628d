// ESO offline: declare ExternalSecret files from the manifest (idempotent: a second run changes nothing), validate
// them without a cluster, and refuse a broken one with its file and line.
node {
    deleteDir()
    writeFile file: 'kms-secrets.yaml', text: '''stores:
  - @MANIFEST_STORE@
externalSecrets:
  - name: e2e-db
    app: e2e-@STORE_TYPE@
    namespace: @K8S_NAMESPACE@
    store: @ESO_STORE@
    keys:
      password: @REF_PASSWORD@
'''
    def first = kmsExternalSecretsDeclare manifest: 'kms-secrets.yaml'
    echo "E2E-DECLARED ${first}"
    def second = kmsExternalSecretsDeclare manifest: 'kms-secrets.yaml'
    echo "E2E-REDECLARED ${second}"
    sh 'cat deploy/e2e-@STORE_TYPE@/secrets/externalsecret-e2e-db.yaml'
    def validated = kmsExternalSecretsValidate files: 'deploy/**/secrets/externalsecret-*.yaml'
    echo "E2E-VALIDATED ${validated}"
    writeFile file: 'deploy/broken/secrets/externalsecret-bad.yaml', text: '''apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: Bad_Name
  namespace: @K8S_NAMESPACE@
spec:
  secretStoreRef: {name: @ESO_STORE@, kind: SecretStore}
  target: {name: bad, creationPolicy: Merge, deletionPolicy: Delete}
  data:
    - secretKey: password
      remoteRef: {key: e2e-password}
'''
    try {
        kmsExternalSecretsValidate files: 'deploy/**/secrets/externalsecret-*.yaml'
        echo 'E2E-UNEXPECTED the broken file was accepted'
    } catch (e) {
        echo "E2E-REFUSED ${e.getMessage()}"
    }
}
