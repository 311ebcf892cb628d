#!/usr/bin/env bash
# Start-up cost of the CLI: median wall time of `kms-secrets exec -- true` with the demo SOPS store, beside `true`
# alone, over N runs (default 20); then the same with an AppCDS archive of the classes that run loads (JDK 17+:
# -XX:ArchiveClassesAtExit once, -XX:SharedArchiveFile after). Prints figures only; nothing here is a test, and CI
# does not run it. Build first: ./mvnw -B -q -DskipTests package
set -euo pipefail
runs="${1:-20}"
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/kms-secrets-cli/target/kms-secrets.jar"
manifest="$root/examples/demo/kms-secrets.yaml"
if [ ! -f "$jar" ]; then
  echo "build the CLI first: ./mvnw -B -q -DskipTests package" >&2
  exit 2
fi
archive="$(mktemp -d)/kms-secrets.jsa"
trap 'rm -rf "$(dirname "$archive")"' EXIT

# Median of N wall times, in seconds, of the command given as arguments (its output discarded).
median() {
  local times=() start end
  for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    "$@" > /dev/null 2>&1
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{ t[NR] = $1 } END { m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2; printf "%.3f", m / 1e6 }'
}

java -XX:ArchiveClassesAtExit="$archive" -jar "$jar" exec --manifest "$manifest" -- true > /dev/null 2>&1
echo "median of $runs runs, wall seconds ($(java -version 2>&1 | head -n 1))"
row() { printf '%-52s %s\n' "$1" "$2"; }
row "true" "$(median true)"
row "kms-secrets exec -- true" "$(median java -jar "$jar" exec --manifest "$manifest" -- true)"
row "kms-secrets exec -- true, AppCDS archive" \
  "$(median java -XX:SharedArchiveFile="$archive" -jar "$jar" exec --manifest "$manifest" -- true)"
row "kms-secrets exec -- true, AppCDS, C1 only" "$(median java -XX:TieredStopAtLevel=1 \
  -XX:SharedArchiveFile="$archive" -jar "$jar" exec --manifest "$manifest" -- true)"
