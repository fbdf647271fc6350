#!/usr/bin/env bash
# Copy-engine benchmark (see docs/benchmarks.md): dd with Cinder's arguments, qemu-img convert (Debian
# qemu-utils, if installed) and the native engine, on the same files and (as root) between loop devices over
# those files. Needs ~14 GiB free in --dir.
#   benchmarks/run-copy.sh [--no-build] [--dir DIR] [--repeat N] [--only files|block]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
# One reactor build (package, not install: the shared local repository is left alone); the benchmark
# module's classpath then points at the modules' jars in their target directories.
if [ "${1:-}" = "--no-build" ]; then
  shift
  mvn -B -q -o -pl benchmarks -am dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$cp_file"
else
  mvn -B -q -pl benchmarks -am package -DskipTests dependency:build-classpath -Dmdep.includeScope=runtime \
    -Dmdep.outputFile="$cp_file"
fi
exec java -cp "benchmarks/target/classes:$(cat "$cp_file")" org.openstack.jcinder.benchmarks.CopyBenchmark "$@"
