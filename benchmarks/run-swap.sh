#!/usr/bin/env bash
# Attached-path benchmark (see docs/benchmarks.md): the simulated hypervisor swaps a disk of random data
# onto a sparse file while a guest writes and flushes 4 KiB blocks; guest latency before/during, dd baseline.
# Needs ~3x --gib GiB free in --dir (default /var/tmp/jcinder-swap-bench, 2 GiB).
#   benchmarks/run-swap.sh [--no-build] [--dir DIR] [--gib N]
exec "$(dirname "$0")/java-main.sh" SwapBenchmark "$@"
