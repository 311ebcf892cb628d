#!/usr/bin/env bash
# The kms-secrets demo: secrets from a SOPS+age file, injected into a command whose output is masked, then the
# value-free smoke check. Offline: no server, no network. Build first: ./mvnw -B -q -DskipTests package
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jar="$here/../../kms-secrets-cli/target/kms-secrets.jar"
if [ ! -f "$jar" ]; then
  echo "build the CLI first: ./mvnw -B -q -DskipTests package" >&2
  exit 2
fi
# The launcher (docs/cli.md#start-up): the jar with the class-data archive the build made for this JVM.
kms() { local command="$1"; shift; "$here/../../kms-secrets-cli/bin/kms-secrets" "$command" --manifest "$here/kms-secrets.yaml" "$@"; }

echo "== kms-secrets exec: the command sees the values, its output shows ****"
kms exec -- sh -c 'echo "API_TOKEN=$API_TOKEN"; echo "DB=$DB_USER:$DB_PASSWORD@db:5432";
  printf "%s" "$DB_PASSWORD" | base64 | sed "s/^/base64 of the password: /";
  echo "API_TOKEN has ${#API_TOKEN} characters"; echo "$TLS_CERT" | head -n 2'

echo
echo "== kms-secrets check: exists, enabled, not expired (never reads a value)"
kms check

echo
echo "== kms-secrets list local"
kms list local

echo
echo "== kms-secrets exec --env dev: the same names, from the dev environment's SOPS file"
kms exec --env dev -- sh -c 'echo "API_TOKEN=$API_TOKEN (${#API_TOKEN} characters)"; echo "DB=$DB_USER:$DB_PASSWORD@db:5432"'

echo
echo "== kms-secrets check --env dev: the header names the store definition in effect"
kms check --env dev
