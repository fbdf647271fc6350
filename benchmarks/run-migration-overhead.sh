#!/usr/bin/env bash
# Time a migration through the API adds to its copy (see docs/benchmarks.md): the all-in-one migrates a 1 GiB
# volume with force_host_copy, compared with the same dd copy made directly.
#   benchmarks/run-migration-overhead.sh [--no-build] [--runs N] [--dir DIR] [--engine native|dd]
exec "$(dirname "$0")/java-main.sh" MigrationOverheadBenchmark "$@"
