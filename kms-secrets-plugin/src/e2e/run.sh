#!/bin/sh
# Runs the end-to-end suite against a running Jenkins (README.md). Builds the runner first unless E2E_NO_BUILD=1.
# Usage: kms-secrets-plugin/src/e2e/run.sh --jenkins http://127.0.0.1:8080/ --token-file FILE [options]
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
if [ "${E2E_NO_BUILD:-0}" != 1 ]; then
    (cd "$root" && ./mvnw -B -q -pl kms-secrets-plugin/src/e2e -am -DskipTests package)
fi
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
# The ESO CRDs the Kubernetes test server installs come from shared/testdata beside the clone.
testdata=${KMS_TESTDATA:-$root/../shared/testdata}
cd "$here"
exec "$java" -Dkms.testdata="$testdata" \
    -cp "$here/target/kms-secrets-e2e-0.1.0-SNAPSHOT.jar:$(cat "$here/target/classpath.txt")" \
    io.jenkins.plugins.kmssecrets.e2e.E2eRunner "$@"
