#!/usr/bin/env bash
# Benchmark of GET /v3/{project}/volumes/detail (see docs/benchmarks.md).
#
#   benchmarks/run-api-list.sh [--no-build] [harness options]
#   benchmarks/run-api-list.sh --backend embedded --seconds 20
#   benchmarks/run-api-list.sh --backend postgres --seconds 20
#   benchmarks/run-api-list.sh --help
#
# Builds the modules the harness needs (unless --no-build), then runs the harness in a JVM of its own
# (JAVA_OPTS are passed to it). The project's own classes and jars are copied to a private directory
# first, so that a concurrent `mvn install` in the same tree or ~/.m2 cannot swap them under the running
# JVM. The whole run is bounded by BENCH_TIMEOUT seconds (default 1800); the harness bounds each phase.
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

snap="$(mktemp -d /tmp/jcinder-bench-cp.XXXXXX)"
trap 'rm -rf "$snap"' EXIT
mvn -B -q -pl benchmarks dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$snap/classpath.txt"
cp -r "$root/benchmarks/target/classes" "$snap/classes"
cp_entries="$snap/classes"
IFS=":" read -r -a deps < "$snap/classpath.txt" || true  # no trailing newline
for jar in "${deps[@]}"; do
  case "$jar" in
    */org/openstack/jcinder/*)
      mkdir -p "$snap/lib"
      cp "$jar" "$snap/lib/"
      cp_entries="$cp_entries:$snap/lib/$(basename "$jar")"
      ;;
    *)
      cp_entries="$cp_entries:$jar"
      ;;
  esac
done

# Spring's request stacks are deeper than JFR's default 64 frames.
jfr_opts=""
case " $* " in
  *" --profile "*|*" --jfr-file"*) jfr_opts="-XX:FlightRecorderOptions:stackdepth=512" ;;
esac

rc=0
# shellcheck disable=SC2086
timeout --kill-after=15 "${BENCH_TIMEOUT:-1800}" \
  java $jfr_opts ${JAVA_OPTS:-} -cp "$cp_entries" org.openstack.jcinder.benchmarks.ApiListBenchmark "$@" || rc=$?
exit "$rc"
