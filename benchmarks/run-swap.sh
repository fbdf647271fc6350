#!/usr/bin/env bash
# Attached-path benchmark (see docs/benchmarks.md): the simulated hypervisor swaps a disk of random data
# onto a sparse file while a guest writes and flushes 4 KiB blocks; guest latency before/during, dd baseline.
# Needs ~3x --gib GiB free in --dir (default /var/tmp/jcinder-swap-bench, 2 GiB).
#   benchmarks/run-swap.sh [--no-build] [--dir DIR] [--gib N]
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
exec java -cp "benchmarks/target/classes:$(cat "$cp_file")" org.openstack.jcinder.benchmarks.SwapBenchmark "$@"
