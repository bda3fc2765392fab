#!/usr/bin/env bash
# Local infrastructure for usage-ledger: Kafka (native broker from Maven Central jars, or Docker),
# PostgreSQL and Redis checks. Works before `npm install` (no node_modules needed).
#
#   npm run stack -- up [--docker] [--fresh]   start/reuse Kafka, check Postgres (+create DB) and Redis
#   npm run stack -- down [--docker]           stop the broker this project started (only that one)
#   npm run stack -- status [--docker]         one line per service
#
# See docs/local-stack.md. Functions live in scripts/lib/stack-lib.sh (sourceable by other scripts).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/stack-lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib/stack-lib.sh"

usage() {
  cat >&2 <<'EOF'
usage: bash scripts/stack.sh up|down|status [--docker] [--fresh]
  up       start (or reuse) Kafka on $KAFKA_BROKERS (default 127.0.0.1:19092), check PostgreSQL
           at $DATABASE_URL (creating the database if missing) and Redis at $REDIS_URL
  down     stop the Kafka broker this project started (by its pid); anything else is left alone
  status   print kafka/postgres/redis up or down; exit 1 if any is down
  --docker same as STACK_MODE=docker: use docker compose (docker-compose.yml) instead;
           STACK_DOCKER_SERVICES="kafka postgres redis" starts only the infrastructure
  --fresh  same as STACK_FRESH=1: wipe and re-format the broker's data dir when starting it
env: KAFKA_BROKERS KAFKA_PORT KAFKA_CONTROLLER_PORT DATABASE_URL REDIS_URL STACK_FRESH STACK_MODE
     STACK_KAFKA_TIMEOUT (default 90 s) STACK_DOCKER_SERVICES
EOF
}

cmd=""
mode="${STACK_MODE:-native}"
for arg in "$@"; do
  case "$arg" in
    --docker) mode=docker ;;
    --native) mode=native ;;
    --fresh) export STACK_FRESH=1 ;;
    -h | --help | help) usage; exit 0 ;;
    up | down | status)
      if [ -n "$cmd" ]; then usage; exit 2; fi
      cmd="$arg"
      ;;
    *) stack_err "unknown argument '$arg'."; usage; exit 2 ;;
  esac
done
[ -n "$cmd" ] || { usage; exit 2; }

case "$mode" in
  docker)
    # STACK_DOCKER_SERVICES="kafka postgres redis" limits `up` to the infrastructure.
    read -ra services <<<"${STACK_DOCKER_SERVICES:-}"
    case "$cmd" in
      up) stack_docker_up ${services[@]+"${services[@]}"} ;;
      down) stack_docker_down --remove-orphans ;;
      status) stack_docker_status ${services[@]+"${services[@]}"} ;;
    esac
    ;;
  native | "")
    case "$cmd" in
      up) stack_up ;;
      down) stack_down ;;
      status) stack_status ;;
    esac
    ;;
  *) stack_err "STACK_MODE must be 'native' or 'docker' (got '$mode')."; exit 2 ;;
esac
