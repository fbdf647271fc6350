#!/usr/bin/env bash
# Issue 14's cross-host copy rate (see docs/benchmarks.md): two storage nodes in network namespaces, each with
# its own tgtd and cinder-volume JVM (file backend, target_helper = tgtadm), a generic migration A -> B through
# the API (request to success) against qemu-img convert -n between the same two iSCSI targets; median of N.
# Root, tgt, qemu-utils, qemu-block-extra; PostgreSQL and RabbitMQ (CINDER_TEST_PG, CINDER_TEST_TRANSPORT_URL).
#   benchmarks/run-cross-host.sh [--no-build] [--runs 3] [--gib 1] [--dir DIR]
exec "$(dirname "$0")/java-main.sh" CrossHostMigrationBenchmark "$@"
