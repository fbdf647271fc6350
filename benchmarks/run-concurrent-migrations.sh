#!/usr/bin/env bash
# Issue 12's concurrency target (see docs/benchmarks.md): N 1 GiB migrations from one backend at once with
# max_concurrent_migrations = L (4 and 2 by default) through the API of the all-in-one, against one migration
# alone; aggregate throughput, the most running and queued at once, every volume checked byte for byte.
#   benchmarks/run-concurrent-migrations.sh [--no-build] [--runs N] [--dir DIR] [--count 4] [--limit 2] [--gib 1]
exec "$(dirname "$0")/java-main.sh" ConcurrentMigrationsBenchmark "$@"
