#!/usr/bin/env bash
# npm run cli -- <command>: the operator CLI (compiles first if needed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/node-lib.sh
node_ensure_modules
[ -f dist/apps/cli/src/main.js ] || node_build
node_run cli "$@"
