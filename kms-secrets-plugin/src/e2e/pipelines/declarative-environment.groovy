// Declarative environment { X = credentials(id) }: a username/password credential gives X (user:password), X_USR and
// X_PSW; a secret text gives X. Values are the stored ones and printing them is masked.
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

pipeline {
    agent any
    environment {
        E2E_UP = credentials('@CRED_USERPASS@')
        E2E_PW = credentials('@CRED_PASSWORD@')
    }
    stages {
        stage('use') {
            steps {
                sh 'test "$E2E_UP_USR" = "@USER_USERPASS@" && test "$E2E_UP" = "$E2E_UP_USR:$E2E_UP_PSW"'
                sh 'printf "usr=%s psw=%s pw=%s\\n" "$E2E_UP_USR" "$E2E_UP_PSW" "$E2E_PW"'
                script {
                    if (sha256(env.E2E_UP_PSW) != '@SHA_USERPASS@') { error 'E2E: _PSW is not the stored value' }
                    if (sha256(env.E2E_PW) != '@SHA_PASSWORD@') { error 'E2E: E2E_PW is not the stored value' }
                    printForms('E2E_UP_PSW')
                }
                echo 'E2E-OK declarative'
            }
        }
    }
}
