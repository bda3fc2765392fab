#!/usr/bin/env bash
# npm run bench: every scenario of bench/bench.ts on the real stack (see README, Performance).
# The full run must fit in 15 minutes on 2 shared cores, so the ingestion scenarios default to
# 200,000 records (ingest, replay) and 100,000 (scale-out), each measured 3 times; set
# BENCH_EVENTS=1000000 for the 1M-event figures of issue 11 (about 3 minutes more per run).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/node-lib.sh
source scripts/lib/stack-lib.sh

node_ensure_modules
export BENCH_EVENTS="${BENCH_EVENTS:-200000}"
export BENCH_SCALE_OUT_EVENTS="${BENCH_SCALE_OUT_EVENTS:-100000}"
trap stack_down_if_started_by_us EXIT
node_build
stack_up
npx ts-node --transpile-only -r tsconfig-paths/register bench/bench.ts "$@"
