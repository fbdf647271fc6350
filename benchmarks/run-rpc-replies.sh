#!/usr/bin/env bash
# An RPC call's round trip on the embedded broker: a temporary reply queue per call (before) against one
# reply queue per template (RpcClient now); docs/benchmarks.md §7.
#   benchmarks/run-rpc-replies.sh [--no-build] [--calls 200] [--rounds 3]
exec "$(dirname "$0")/java-main.sh" RpcReplyBenchmark "$@"
