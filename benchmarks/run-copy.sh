#!/usr/bin/env bash
# Copy-engine benchmark (see docs/benchmarks.md): dd with Cinder's arguments, qemu-img convert (Debian
# qemu-utils, if installed) and the native engine, on the same files. Needs ~14 GiB free in --dir.
#   benchmarks/run-copy.sh [--no-build] [--dir DIR] [--repeat N]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [ "${1:-}" = "--no-build" ]; then shift; else mvn -B -q -pl benchmarks -am install -DskipTests; fi
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
mvn -B -q -pl benchmarks dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$cp_file"
exec java -cp "benchmarks/target/classes:$(cat "$cp_file")" org.openstack.jcinder.benchmarks.CopyBenchmark "$@"
