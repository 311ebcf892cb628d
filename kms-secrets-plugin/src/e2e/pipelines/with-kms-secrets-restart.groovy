// withKmsSecrets survives a controller restart inside the block: after the restart the values are still bound and
// still masked. The runner restarts Jenkins when it sees the marker.
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
    withKmsSecrets(secrets: [[env: 'E2E_PW', ref: '@REF_PASSWORD@'], [env: 'E2E_ML', ref: '@REF_MULTILINE@']]) {
        sh 'echo "before restart: $E2E_PW"'
        echo 'E2E-RESTART-NOW'
        sleep time: 45, unit: 'SECONDS'
        sh 'echo "after restart: $E2E_PW"; echo "after restart: $E2E_ML"'
        printForms('E2E_PW')
        if (sha256(env.E2E_PW) != '@REFSHA_PASSWORD@') { error 'E2E: E2E_PW differs after the restart' }
        echo 'E2E-OK restart'
    }
}
