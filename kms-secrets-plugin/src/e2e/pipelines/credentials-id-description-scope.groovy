// Tags for id, description and scope: a secret tagged jenkins-credentials-id is used by that id; its description is
// the tag; a secret tagged jenkins-credentials-scope=SYSTEM is offered to Jenkins itself (the root) but never to a job.
@NonCPS
def sha256(String v) { java.security.MessageDigest.getInstance('SHA-256').digest(v.getBytes('UTF-8')).encodeHex().toString() }

@NonCPS
def atRoot(String id) {
    def all = com.cloudbees.plugins.credentials.CredentialsProvider.lookupCredentialsInItemGroup(
            com.cloudbees.plugins.credentials.common.StandardCredentials, jenkins.model.Jenkins.get(),
            hudson.security.ACL.SYSTEM2, [])
    def c = all.find { it.id == id }
    return c == null ? 'absent' : c.scope.name() + '/' + c.description
}

node {
    withCredentials([string(credentialsId: '@CRED_EXPLICIT@', variable: 'E2E_S')]) {
        if (sha256(env.E2E_S) != '@SHA_EXPLICIT@') { error 'E2E: the explicit id does not carry the stored value' }
    }
    if (atRoot('@CRED_EXPLICIT@') != 'GLOBAL/e2e-explicit-id') { error "E2E: the description tag: ${atRoot('@CRED_EXPLICIT@')}" }
    if (atRoot('@CRED_SYSTEMSCOPE@') != 'SYSTEM/Secret e2e-systemscope in store @STORE@') {
        error "E2E: the SYSTEM credential at the root: ${atRoot('@CRED_SYSTEMSCOPE@')}"
    }
    try {
        withCredentials([string(credentialsId: '@CRED_SYSTEMSCOPE@', variable: 'E2E_SYS')]) {
            error 'E2E: the SYSTEM-scoped credential reached a job'
        }
    } catch (org.jenkinsci.plugins.credentialsbinding.impl.CredentialNotFoundException e) {
        echo 'E2E-SYSTEM-HIDDEN'
    }
    echo 'E2E-OK id description scope'
}
