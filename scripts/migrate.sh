#!/usr/bin/env bash
# npm run migrate: create the database if missing and apply committed migrations.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/node-lib.sh
node_ensure_modules
node_build
node_run cli migrate
