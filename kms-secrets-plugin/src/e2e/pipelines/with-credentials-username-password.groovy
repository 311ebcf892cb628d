// withCredentials usernamePassword(): username from the tag, password = the value.
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
    withCredentials([usernamePassword(credentialsId: '@CRED_USERPASS@', usernameVariable: 'E2E_U',
                                      passwordVariable: 'E2E_P')]) {
        if (env.E2E_U != '@USER_USERPASS@') { error 'E2E: the username is not the tag' }
        if (sha256(env.E2E_P) != '@SHA_USERPASS@') { error 'E2E: the password is not the stored value' }
        sh 'printf "sh password: %s\\n" "$E2E_P"'
        printForms('E2E_P')
        echo 'E2E-OK usernamePassword'
    }
}
