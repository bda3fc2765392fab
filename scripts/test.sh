#!/usr/bin/env bash
# npm test: dependencies, the real stack (Kafka, PostgreSQL, Redis, and a throwaway 3-master
# Redis Cluster on free loopback ports), then every jest suite. Leaves nothing running that it
# started. Extra arguments go to jest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/node-lib.sh
source scripts/lib/stack-lib.sh

cleanup() {
  if [ -n "${cluster_started:-}" ]; then node_run cli stack redis-cluster down || true; fi
  stack_down_if_started_by_us
}
node_ensure_modules
trap cleanup EXIT
# The crash test runs the compiled projector as a child process it can SIGKILL.
node_build
stack_up
if [ -z "${TEST_REDIS_CLUSTER_NODES:-}" ]; then
  cluster_started=1
  TEST_REDIS_CLUSTER_NODES="$(node_run cli stack redis-cluster up)"
  export TEST_REDIS_CLUSTER_NODES
  echo "[stack] redis cluster: up at $TEST_REDIS_CLUSTER_NODES" >&2
fi
# The test database is recreated and migrated by the jest global setup (test/support).
# --forceExit: a failed suite that leaves a child or socket behind must fail CI, not hang it.
npx jest --runInBand --forceExit "$@"
