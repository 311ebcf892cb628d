#!/bin/sh
# Build step (package phase, see pom.xml): one training run of the freshly shaded CLI (exec of the offline SOPS demo),
# recording the classes it loads for the launcher bin/kms-secrets:
#   JDK 25+: an AOT cache (JEP 483/514), target/kms-secrets.aot
#   JDK 17-24: an AppCDS archive, target/kms-secrets.jsa
# and target/kms-secrets.jvm naming the JVM they belong to. A failed training run removes them and does not fail the
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
if [ "$major" -ge 25 ]; then
  archive="$target/kms-secrets.aot"
  option="-XX:AOTCacheOutput=$archive"
else
  archive="$target/kms-secrets.jsa"
  option="-XX:ArchiveClassesAtExit=$archive"
fi
# The same options as the launcher: an archive only serves a JVM started with the same GC.
if "$home/bin/java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC "$option" -Xlog:cds=off \
    -Xlog:cds+dynamic=off -jar "$jar" exec --manifest "$manifest" -- "$home/bin/java" -version \
    > /dev/null 2>&1 && [ -f "$archive" ]; then
  printf '%s %s' "$(cd "$home" && pwd -P)" "$runtime" > "$target/kms-secrets.jvm"
  echo "archive.sh: $(basename "$archive") for $runtime"
else
  rm -f "$archive"
  echo "archive.sh: the training run failed; no class-data archive" >&2
fi
