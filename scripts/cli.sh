#!/usr/bin/env bash
# npm run cli -- <command>: the operator CLI (compiles first if needed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/node-lib.sh
node_ensure_modules
[ -f dist/apps/cli/src/main.js ] || node_build
# A 64 MB young generation (node's default is 16 MB): `replay build` makes a few short-lived
# objects per stored event and spends ~15% less CPU collecting them (README, Performance).
export NODE_OPTIONS="--max-semi-space-size=64${NODE_OPTIONS:+ $NODE_OPTIONS}"
node_run cli "$@"
