#!/usr/bin/env bash
# npm run bench: end-to-end projector throughput through the real stack, reported against a
# bare-consumer baseline measured in the same run. BENCH_EVENTS (default 200000) sets the size.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/node-lib.sh
source scripts/lib/stack-lib.sh

node_ensure_modules
trap stack_down_if_started_by_us EXIT
node_build
stack_up
npx ts-node --transpile-only -r tsconfig-paths/register bench/bench.ts "$@"
