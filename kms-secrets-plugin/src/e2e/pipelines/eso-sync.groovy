// ESO against the Kubernetes test server (CRDs installed, a fake ESO controller syncing): connected validation
// (CRD schema, server-side dry-run, store Ready), then sync with JUnit. The kubeconfig is a secret file credential.
node {
    deleteDir()
    writeFile file: 'kms-secrets.yaml', text: '''stores:
  - @MANIFEST_STORE@
externalSecrets:
  - name: e2e-sync-@STORE_TYPE@
    app: e2e-@STORE_TYPE@
    namespace: @K8S_NAMESPACE@
    store: @ESO_STORE@
    keys:
      password: @REF_PASSWORD@
'''
    kmsExternalSecretsDeclare manifest: 'kms-secrets.yaml'
    def validated = kmsExternalSecretsValidate credentialsId: '@K8S_CRED@', context: '@K8S_CONTEXT@'
    echo "E2E-VALIDATED ${validated}"
    kmsExternalSecretsSync credentialsId: '@K8S_CRED@', context: '@K8S_CONTEXT@', app: 'e2e-@STORE_TYPE@',
            timeoutSeconds: 60, junitFile: 'eso-sync.xml'
    junit 'eso-sync.xml'
    echo 'E2E-OK eso-sync'
}
