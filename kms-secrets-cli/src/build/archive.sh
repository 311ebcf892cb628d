#!/bin/sh
# Build step (package phase, see pom.xml): one training run of the freshly shaded CLI (exec of the offline SOPS demo),
# recording the classes it loads for the launcher bin/kms-secrets:
#   JDK 25+: an AOT cache (JEP 483/514), target/kms-secrets.aot
#   JDK 17-24: a static AppCDS archive (class list, then -Xshare:dump), target/kms-secrets.jsa, which also holds the
#              classes of an Azure Key Vault exec when ArchiveTraining (the step before) recorded them
# and target/kms-secrets.jvm naming the JVM they belong to. A failed training run leaves none and does not fail the
# build: the launcher then runs plain java.
# Usage: archive.sh JAVA_HOME TARGET_DIR DEMO_MANIFEST
set -u
home=$1
target=$2
manifest=$3
jar="$target/kms-secrets.jar"
rm -f "$target/kms-secrets.aot" "$target/kms-secrets.jsa" "$target/kms-secrets.jvm"
runtime=$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"$/\1/p' "$home/release" 2>/dev/null)
major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*"$/\1/p' "$home/release" 2>/dev/null)
if [ -z "$runtime" ] || [ -z "$major" ]; then
  echo "archive.sh: no release file in $home; no class-data archive" >&2
  exit 0
fi
java="$home/bin/java"
# The same options as the launcher: an archive only serves a JVM started with the same GC.
flags="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
if [ "$major" -ge 25 ]; then
  archive="$target/kms-secrets.aot"
  # shellcheck disable=SC2086
  "$java" $flags "-XX:AOTCacheOutput=$archive" -Xlog:cds=off -Xlog:aot=off -jar "$jar" exec --manifest "$manifest" \
    -- "$java" -version > /dev/null 2>&1
else
  # A static archive (the class list of the training run, then -Xshare:dump): unlike a dynamic one
  # (-XX:ArchiveClassesAtExit) it also holds classes of class-file version 49, which is picocli's (176 classes on
  # every run, otherwise parsed and verified from the jar each time).
  # The class list of an Azure Key Vault exec against the core's fakes (ArchiveTraining, run before this step), when
  # there is one, is added: one archive for both.
  archive="$target/kms-secrets.jsa"
  classes="$target/kms-secrets.classlist"
  extra="$target/kms-secrets-azure.classlist"
  # shellcheck disable=SC2086
  if "$java" $flags "-XX:DumpLoadedClassList=$classes" -jar "$jar" exec --manifest "$manifest" -- "$java" -version \
      > /dev/null 2>&1; then
    if [ -f "$extra" ]; then
      # Classes first (each once, the demo's first), then the lambda and method-handle lines.
      cat "$classes" "$extra" | awk '/^@/ { if (!seen[$0]++) tail[++n] = $0; next } !seen[$0]++ { print }
        END { for (i = 1; i <= n; i++) print tail[i] }' > "$classes.all" && mv "$classes.all" "$classes"
    fi
    "$java" $flags -Xshare:dump "-XX:SharedClassListFile=$classes" "-XX:SharedArchiveFile=$archive" -cp "$jar" \
      > /dev/null 2>&1
  fi
  rm -f "$classes" "$extra"
fi
if [ -f "$archive" ]; then
  printf '%s %s' "$(cd "$home" && pwd -P)" "$runtime" > "$target/kms-secrets.jvm"
  echo "archive.sh: $(basename "$archive") for $runtime"
else
  rm -f "$archive"
  echo "archive.sh: the training run failed; no class-data archive" >&2
fi
