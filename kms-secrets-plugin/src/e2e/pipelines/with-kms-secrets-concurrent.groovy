// 20 builds of this job run at once (the runner starts them together, E2E_BUILD = 1..20), each binding 20 secrets and
// checking every value by digest in parallel branches; the runner stops the store's backend for a while once the
// first build is through, so later builds resolve during the outage (and fail with the clear error) or after it.
@NonCPS
def sha256(String v) { java.security.MessageDigest.getInstance('SHA-256').digest(v.getBytes('UTF-8')).encodeHex().toString() }

def expected = @LOAD_SHAS@
int n = params.E2E_BUILD as int
node {
    // Staggered starts: the builds resolve over some 20 s, before, during and after the outage.
    sleep time: n - 1, unit: 'SECONDS'
    withKmsSecrets(secrets: @LOAD_BINDINGS@) {
        def variables = expected.keySet().toList()
        def branches = [:]
        for (int b = 0; b < 4; b++) {
            def mine = new ArrayList(variables.subList(b * 5, b * 5 + 5))  // a copy: a sub-list view does not serialize
            def label = "branch-${b}"
            branches[label] = {
                for (String v in mine) {
                    if (sha256(env.getProperty(v)) != expected[v]) { error "E2E: ${v} differs in ${label}" }
                }
                sh "echo \"${label}: \$${mine[0]} \$${mine[4]}\""
            }
        }
        parallel branches
        echo "E2E-OK concurrent ${n}"
    }
}
