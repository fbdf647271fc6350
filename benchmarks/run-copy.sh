#!/usr/bin/env bash
# Copy-engine benchmark (see docs/benchmarks.md): dd with Cinder's arguments, qemu-img convert (Debian
# qemu-utils, if installed) and the native engine, on the same files and (as root) between loop devices over
# those files. Needs ~14 GiB free in --dir.
#   benchmarks/run-copy.sh [--no-build] [--dir DIR] [--repeat N] [--only files|block]
exec "$(dirname "$0")/java-main.sh" CopyBenchmark "$@"
