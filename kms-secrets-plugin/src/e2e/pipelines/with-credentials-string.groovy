// withCredentials string(): a KMS credential (secret text) bound by credentials-binding. The value is the stored one,
// and what the build prints of it (raw, each line, encoded) must be masked: credentials-binding masks the raw value
// only, unless the plugin contributes the other forms (issue 16, section 3).
@NonCPS
def sha256(String v) { java.security.MessageDigest.getInstance('SHA-256').digest(v.getBytes('UTF-8')).encodeHex().toString() }

// Prints a variable's value in each encoded form a build could print (base64, URL-safe base64, hex, HEX, URL with '+'
// and '%20', JSON, JSON with \\u escapes, shell-quoted), from the shell: the value never passes through Groovy, whose
// step arguments Jenkins records in the build directory.
def printForms(String variable) {
    writeFile file: '.e2e-forms.py', text: '''import base64, json, os, shlex, sys, urllib.parse
v = os.environ[sys.argv[1]]
b = v.encode()
for form in (base64.b64encode(b).decode(), base64.urlsafe_b64encode(b).decode(), b.hex(), b.hex().upper(),
             urllib.parse.quote_plus(v), urllib.parse.quote(v, safe=''), json.dumps(v, ensure_ascii=False),
             json.dumps(v), shlex.quote(v)):
    print('sh form: ' + form, flush=True)
'''
    sh "python3 .e2e-forms.py ${variable}"
}

node {
    withCredentials([string(credentialsId: '@CRED_PASSWORD@', variable: 'E2E_PW'),
                     string(credentialsId: '@CRED_MULTILINE@', variable: 'E2E_ML')]) {
        if (sha256(env.E2E_PW) != '@SHA_PASSWORD@') { error 'E2E: the credential value is not the stored one' }
        if (sha256(env.E2E_ML) != '@SHA_MULTILINE@') { error 'E2E: the multi-line credential value is not the stored one' }
        sh 'printf "sh raw: %s\\n" "$E2E_PW"'
        sh 'printf "%s\\n" "$E2E_ML"'
        printForms('E2E_PW')
        echo 'E2E-OK string'
    }
}
