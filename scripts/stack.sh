#!/usr/bin/env bash
# Local infrastructure for usage-ledger (docs/local-stack.md):
#
#   npm run stack -- up [--docker] [--fresh]   start/reuse Kafka, check Postgres (+create DB) and Redis
#   npm run stack -- down [--docker]           stop the broker this checkout started (only that one)
#   npm run stack -- status [--docker]         one line per service; exit 1 if any is down
#
# The broker is bash (scripts/lib/stack-lib.sh: it works before `npm install`); the checks are
# the TypeScript `cli stack` command, so `up` and `status` install dependencies first if needed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/stack-lib.sh
source scripts/lib/node-lib.sh

usage() {
  cat >&2 <<'USAGE'
usage: npm run stack -- up|down|status [--docker] [--fresh]
  up       start (or reuse) Kafka on $KAFKA_BROKERS (default 127.0.0.1:19092), check PostgreSQL
           at $DATABASE_URL (creating the database if missing) and Redis at $REDIS_URL
           (or the cluster of $REDIS_CLUSTER_NODES)
  down     stop the Kafka broker this checkout started (by its pid); anything else is left alone
  status   print kafka/postgres/redis up or down; exit 1 if any is down
  --docker same as STACK_MODE=docker: docker compose (docker-compose.yml) instead;
           STACK_DOCKER_SERVICES="kafka postgres redis" starts only the infrastructure
  --fresh  same as STACK_FRESH=1: wipe and re-format the broker's data dir when starting it
USAGE
}

cmd="" mode="${STACK_MODE:-native}"
for arg in "$@"; do
  case "$arg" in
    --docker) mode=docker ;;
    --native) mode=native ;;
    --fresh) export STACK_FRESH=1 ;;
    -h | --help | help) usage; exit 0 ;;
    up | down | status) [ -z "$cmd" ] || { usage; exit 2; }; cmd="$arg" ;;
    *) stack_err "unknown argument '$arg'."; usage; exit 2 ;;
  esac
done
[ -n "$cmd" ] || { usage; exit 2; }

node_cli() {
  node_ensure_modules
  [ -f dist/apps/cli/src/main.js ] || node_build
  node_run cli stack "$@"
}

case "$mode:$cmd" in
  native:up) stack_kafka_up && node_cli up ;;
  native:down) stack_kafka_stop ;;
  native:status) node_cli status ;;
  docker:*)
    docker info >/dev/null 2>&1 || { stack_err "Docker isn't available: start Docker, or use the native stack."; exit 1; }
    read -ra services <<<"${STACK_DOCKER_SERVICES:-}"
    case "$cmd" in
      up) docker compose up -d ${services[@]+"${services[@]}"} ;;
      down) docker compose down --remove-orphans ;;
      status) docker compose ps ${services[@]+"${services[@]}"} ;;
    esac
    ;;
  *) stack_err "STACK_MODE must be 'native' or 'docker' (got '$mode')."; exit 2 ;;
esac
