#!/usr/bin/env bash
# The copy engine's targets through the API (issue 12, see docs/benchmarks.md): the all-in-one with two file
# backends and the default configuration migrates 2 GiB random, 4 GiB 10 % written and 4 GiB never written
# volumes with force_host_copy; each against Cinder's dd argv on the same file in the same run, page cache
# dropped. --dir on an XFS (reflink=1) or btrfs mount shows the reflink path; on ext4, copy_file_range.
#   benchmarks/run-migration-targets.sh [--no-build] [--runs N] [--dir DIR] [--engine native|dd] [--cases a,b,c]
#     [--set key=value]... [--timers]   (--timers: the service's RPC, phase and HTTP timers at the end; --set: an extra [DEFAULT] option, e.g. --set migration_resume=false)
exec "$(dirname "$0")/java-main.sh" MigrationTargetsBenchmark "$@"
