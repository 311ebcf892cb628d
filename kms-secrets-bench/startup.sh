#!/usr/bin/env bash
# Start-up cost of the CLI: median wall time of `kms-secrets exec -- true` with the demo SOPS store, beside `true`
# alone, over N runs (default 20), for each JDK given (default: the java on the PATH):
#   - `java -jar kms-secrets.jar` (no archive, default JIT and GC),
#   - the same with the launcher's JIT and GC options (-XX:TieredStopAtLevel=1 -XX:+UseSerialGC), no archive,
#   - the launcher kms-secrets-cli/bin/kms-secrets with the archive the build makes for that JDK (an AOT cache on
#     JDK 25+, AppCDS on 17-24; made here by the build's own step, src/build/archive.sh, on a copy of the jar).
# Prints figures only; nothing here is a test, and CI does not run it. Build first: ./mvnw -B -q -DskipTests package
# Usage: startup.sh [RUNS] [JAVA_HOME...]
set -euo pipefail
runs="${1:-20}"
shift || true
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/kms-secrets-cli/target/kms-secrets.jar"
manifest="$root/examples/demo/kms-secrets.yaml"
if [ ! -f "$jar" ]; then
  echo "build the CLI first: ./mvnw -B -q -DskipTests package" >&2
  exit 2
fi
homes=("$@")
if [ ${#homes[@]} -eq 0 ]; then
  homes=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

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
row() { printf '%-64s %s\n' "$1" "$2"; }

echo "median of $runs runs, wall seconds"
row "true" "$(median true)"
for home in "${homes[@]}"; do
  java="$home/bin/java"
  dist="$work/$(basename "$home")"
  mkdir -p "$dist"
  cp "$jar" "$dist/kms-secrets.jar"
  cp "$root/kms-secrets-cli/bin/kms-secrets" "$dist/kms-secrets"
  sh "$root/kms-secrets-cli/src/build/archive.sh" "$home" "$dist" "$manifest" > /dev/null 2>&1 || true
  archive="none"
  [ -f "$dist/kms-secrets.aot" ] && archive="AOT cache"
  [ -f "$dist/kms-secrets.jsa" ] && archive="AppCDS"
  echo "== $("$java" -version 2>&1 | head -n 1)"
  row "java -jar kms-secrets.jar exec -- true" "$(median "$java" -jar "$dist/kms-secrets.jar" exec \
    --manifest "$manifest" -- true)"
  row "same, -XX:TieredStopAtLevel=1 -XX:+UseSerialGC" "$(median "$java" -XX:TieredStopAtLevel=1 \
    -XX:+UseSerialGC -jar "$dist/kms-secrets.jar" exec --manifest "$manifest" -- true)"
  row "bin/kms-secrets exec -- true (launcher, $archive)" "$(JAVA_HOME="$home" median "$dist/kms-secrets" exec \
    --manifest "$manifest" -- true)"
done
