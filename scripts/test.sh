#!/usr/bin/env bash
# npm test: dependencies, the real stack (Kafka, PostgreSQL, Redis), then every jest suite.
# Leaves nothing running that it started. Extra arguments go to jest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/node-lib.sh
source scripts/lib/stack-lib.sh

node_ensure_modules
trap stack_down_if_started_by_us EXIT
stack_up
# The crash test runs the compiled projector as a child process it can SIGKILL.
node_build
# The test database is recreated and migrated by the jest global setup (test/support).
npx jest --runInBand "$@"
