// withKmsSecrets with a multi-line (PEM-like) value: printed whole, line by line, one line alone, and encoded.
node {
    withKmsSecrets(secrets: [[env: 'E2E_ML', ref: '@REF_MULTILINE@']]) {
        sh 'echo "whole: $E2E_ML"'
        sh 'printf "%s\\n" "$E2E_ML" | while IFS= read -r line; do echo "line: $line"; done'
        sh 'printf "%s" "$E2E_ML" | sed -n 3p'
        sh 'printf "%s" "$E2E_ML" | base64 -w0; echo'
        sh 'printf "%s" "$E2E_ML" | sed -n 2p | base64 -w0; echo'
        echo 'E2E-OK multiline'
    }
}
