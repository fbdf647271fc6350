#!/usr/bin/env bash
# What a host migration's checkpoints cost (issue 12, see docs/benchmarks.md §7): dd, the native engine in one
# go, in checkpointed ranges, and in ranges whose checksum is read back afterwards (the behaviour before);
# between files in --dir and, as root, between loop devices. Needs ~6 GiB free in --dir.
#   benchmarks/run-checkpoints.sh [--no-build] [--runs 3] [--dir DIR]
exec "$(dirname "$0")/java-main.sh" CheckpointCopyBenchmark "$@"
