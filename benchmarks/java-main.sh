#!/usr/bin/env bash
# Runs one benchmark main class on the benchmark module's classpath, after one reactor build (package, not
# install: the shared local repository is left alone). With --no-build, only compiles what changed (offline).
#   benchmarks/java-main.sh MainClass [--no-build] [args...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
main="$1"
shift
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
if [ "${1:-}" = "--no-build" ]; then
  shift
  # test-compile (not package): the reactor then resolves the modules (and test jars) to their target dirs.
  mvn -B -q -o -pl benchmarks -am test-compile dependency:build-classpath -Dmdep.includeScope=runtime \
    -Dmdep.outputFile="$cp_file"
else
  mvn -B -q -pl benchmarks -am package -DskipTests dependency:build-classpath -Dmdep.includeScope=runtime \
    -Dmdep.outputFile="$cp_file"
fi
java -cp "benchmarks/target/classes:$(cat "$cp_file")" "org.openstack.jcinder.benchmarks.$main" "$@"
