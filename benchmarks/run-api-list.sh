#!/usr/bin/env bash
# Benchmark of GET /v3/{project}/volumes/detail (see docs/benchmarks.md).
#
#   benchmarks/run-api-list.sh [--no-build] [harness options]
#   benchmarks/run-api-list.sh --backend embedded --seconds 20
#   benchmarks/run-api-list.sh --backend postgres --seconds 20
#   benchmarks/run-api-list.sh --help
#
# Builds the modules the harness needs (unless --no-build), then runs the harness in a JVM of its own
# (JAVA_OPTS are passed to it) so that Maven's JVM neither shares the heap nor the JIT with the service.
# The whole run is bounded by BENCH_TIMEOUT seconds (default 1800); the harness bounds each phase itself.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

build=1
if [ "${1:-}" = "--no-build" ]; then
  build=0
  shift
fi
if [ "$build" = 1 ]; then
  mvn -B -q -pl benchmarks -am install -DskipTests
fi
cp_file="$root/benchmarks/target/classpath.txt"
mvn -B -q -pl benchmarks dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$cp_file"

# shellcheck disable=SC2086
exec timeout --kill-after=15 "${BENCH_TIMEOUT:-1800}" \
  java ${JAVA_OPTS:-} -cp "$root/benchmarks/target/classes:$(cat "$cp_file")" \
  org.openstack.jcinder.benchmarks.ApiListBenchmark "$@"
