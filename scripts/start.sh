#!/usr/bin/env bash
# npm start: dependencies, the stack, migrations, then the API with the projector in one process,
# demo model configs and a stream of demo usage events (DEMO_DATA=0 to skip). Ctrl-C stops it all.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/node-lib.sh
source scripts/lib/stack-lib.sh

export GOVERNANCE_API_KEYS="${GOVERNANCE_API_KEYS:-demo-key}"
export PORT="${PORT:-8080}"
export LOG_FORMAT="${LOG_FORMAT:-pretty}"
children=()

# On SIGINT/SIGTERM (from a terminal's Ctrl-C or from anyone's kill) and on any exit: stop every
# node process started here (they exit within SHUTDOWN_TIMEOUT), then the broker if we started it.
# `children` holds node's own pids (node_start), never those of subshells.
cleanup() {
  trap - EXIT INT TERM
  for pid in ${children[@]+"${children[@]}"}; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in ${children[@]+"${children[@]}"}; do wait "$pid" 2>/dev/null || true; done
  stack_down_if_started_by_us
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

node_ensure_modules
node_build
stack_up
node_run cli migrate

RUN_PROJECTOR=1 node_start api
children+=("$!")

key="${GOVERNANCE_API_KEYS%%,*}"
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:${PORT}/health/ready" >/dev/null 2>&1 && break
  kill -0 "${children[0]}" 2>/dev/null || { echo "[start] the API exited during start-up" >&2; exit 1; }
  sleep 0.5
done

if [ "${DEMO_DATA:-1}" != 0 ] && [ "${DEMO_DATA:-1}" != false ]; then
  node_start cli demo --rate "${DEMO_RATE:-5}"
  children+=("$!")
fi

cat <<EOT

usage-ledger is running on http://127.0.0.1:${PORT}  (API docs: http://127.0.0.1:${PORT}/docs)
List model configs with their live budgets and rate limits:

  curl -s -H 'Authorization: Bearer ${key}' 'http://127.0.0.1:${PORT}/api/governance/model-configs?from_memory=true'

Ctrl-C stops everything this command started.
EOT
wait "${children[0]}"
