# shellcheck shell=bash
# The local Kafka broker of usage-ledger: a real Apache Kafka (KRaft, one combined node) run from
# jars fetched off Maven Central. Only what must work before `npm install` lives here (fetch,
# format, start, stop); service checks, database creation and status are the TypeScript
# `cli stack` command (apps/cli/src/stack).
#
# Sourced (it leaves the caller's shell options alone and never calls `exit`):
#   stack_kafka_up || exit 1                 reuse a broker answering on KAFKA_BROKERS, else start ours
#   trap stack_down_if_started_by_us EXIT    stop the broker only if THIS shell started it
#   stack_kafka_stop                         stop the broker this checkout started (pid file), if any
# Call stack_kafka_up in the current shell, not in $(...): it records in shell variables
# (STACK_STARTED_KAFKA, STACK_KAFKA_PID) whether it started the broker.
#
# Environment: KAFKA_BROKERS, KAFKA_PORT, KAFKA_CONTROLLER_PORT (default 19093), STACK_FRESH=1
# (wipe and re-format the data dir when starting), STACK_KAFKA_TIMEOUT (seconds, default 90),
# KAFKA_HEAP_OPTS (default "-Xms256m -Xmx512m").

if [ -n "${STACK_LIB_LOADED:-}" ]; then return 0; fi
STACK_LIB_LOADED=1

STACK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STACK_DIR="$STACK_ROOT/.stack"
STACK_KAFKA_DIR="$STACK_DIR/kafka"
STACK_KAFKA_LIBS="$STACK_KAFKA_DIR/libs"
STACK_KAFKA_DATA="$STACK_KAFKA_DIR/data"
STACK_KAFKA_LOGS="$STACK_KAFKA_DIR/logs"
STACK_KAFKA_PIDFILE="$STACK_KAFKA_DIR/kafka.pid"
STACK_KAFKA_PORTFILE="$STACK_KAFKA_DIR/kafka.port"
STACK_KAFKA_CONFIG="$STACK_KAFKA_DIR/server.properties"
STACK_KAFKA_TOOLS="$STACK_ROOT/tools/kafka"

# Per shell, never inherited: a script only ever stops a broker that it started itself.
STACK_STARTED_KAFKA=0
STACK_KAFKA_PID=""

stack_log() { printf '[stack] %s\n' "$*" >&2; }
stack_err() { printf '[stack] ERROR: %s\n' "$*" >&2; }

# stack_tcp_open HOST PORT: 0 if something accepts a TCP connection within 2 s.
# shellcheck disable=SC2016 # $0/$1 are expanded by the inner bash on purpose
stack_tcp_open() { timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" >/dev/null 2>&1; }

# KAFKA_BROKERS and KAFKA_PORT agree: if only one is set the other follows from it. The broker we
# start always listens on 127.0.0.1:KAFKA_PORT.
stack_config() {
  if [ -z "${KAFKA_BROKERS:-}" ]; then KAFKA_BROKERS="127.0.0.1:${KAFKA_PORT:-19092}"; fi
  local first="${KAFKA_BROKERS%%,*}"
  first="${first#*://}"
  STACK_KAFKA_HOST="${first%:*}"
  STACK_KAFKA_BPORT="${first##*:}"
  if [ "$STACK_KAFKA_HOST" = "$first" ] || ! [[ "$STACK_KAFKA_BPORT" =~ ^[0-9]+$ ]]; then
    stack_err "KAFKA_BROKERS must look like host:port[,host:port] (got '$KAFKA_BROKERS')."
    return 1
  fi
  case "$STACK_KAFKA_HOST" in
    127.0.0.1 | localhost | ::1 | '[::1]') STACK_KAFKA_LOCAL=1 ;;
    *) STACK_KAFKA_LOCAL=0 ;;
  esac
  if [ "$STACK_KAFKA_LOCAL" = 1 ] && [ -n "${KAFKA_PORT:-}" ] && [ "$KAFKA_PORT" != "$STACK_KAFKA_BPORT" ]; then
    stack_err "KAFKA_BROKERS ($KAFKA_BROKERS) and KAFKA_PORT ($KAFKA_PORT) disagree: set only one of them."
    return 1
  fi
  if [ "$STACK_KAFKA_LOCAL" = 1 ]; then KAFKA_PORT="$STACK_KAFKA_BPORT"; fi
  KAFKA_PORT="${KAFKA_PORT:-19092}"
  KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-19093}"
  export KAFKA_BROKERS KAFKA_PORT KAFKA_CONTROLLER_PORT
}

stack_check_java() {
  local major
  major="$(java -version 2>&1 | sed -nE 's/.*version "(1\.)?([0-9]+).*/\2/p' | head -n1)"
  if [ "${major:-0}" -lt 11 ]; then
    stack_err "Java 11+ is needed to run the local Kafka broker (found: ${major:-none}): install Java 17 (e.g. 'sudo apt-get install openjdk-17-jre-headless')."
    return 1
  fi
}

# ----- jars, config, storage -----------------------------------------------------------------
stack_kafka_pom_sum() { cksum <"$STACK_KAFKA_TOOLS/pom.xml" | awk '{print $1 "-" $2}'; }

# Fetches the broker jars with Maven (into a project-local repository, so a clean clone works),
# unless the ones for this pom are cached. 3.9.2 is pinned; 3.9.1 is the fallback.
stack_kafka_fetch_jars() {
  if [ "$(cat "$STACK_KAFKA_LIBS/.complete" 2>/dev/null)" = "$(stack_kafka_pom_sum)" ]; then return 0; fi
  if ! command -v mvn >/dev/null 2>&1; then
    stack_err "Maven is needed once to download the Kafka jars into .stack/kafka/libs: install it (e.g. 'sudo apt-get install maven')."
    return 1
  fi
  stack_log "fetching Kafka broker jars from Maven Central into .stack/kafka/libs (first run only) ..."
  local version
  for version in 3.9.2 3.9.1; do
    rm -rf "$STACK_KAFKA_LIBS" && mkdir -p "$STACK_KAFKA_LIBS"
    # Output goes through a file: Debian's Maven 3.8.7 prints stray ANSI resets even with -q -B.
    if mvn -B -q -Dstyle.color=never -f "$STACK_KAFKA_TOOLS/pom.xml" "-Dmaven.repo.local=$STACK_DIR/m2" \
      "-Dkafka.version=$version" dependency:copy-dependencies -DincludeScope=runtime \
      "-DoutputDirectory=$STACK_KAFKA_LIBS" </dev/null >"$STACK_DIR/mvn.out" 2>&1 &&
      compgen -G "$STACK_KAFKA_LIBS/kafka_2.13-*.jar" >/dev/null; then
      stack_kafka_pom_sum >"$STACK_KAFKA_LIBS/.complete"
      stack_log "fetched Kafka $version ($(find "$STACK_KAFKA_LIBS" -name '*.jar' | wc -l) jars)"
      return 0
    fi
    sed 's/\x1b\[[0-9;]*m//g' "$STACK_DIR/mvn.out" | grep -v '^[[:space:]]*$' >&2 || true
  done
  stack_err "Could not download the Kafka jars with Maven (see above): check access to Maven Central or a proxy in ~/.m2/settings.xml."
  return 1
}

# Renders server.properties and formats the data dir with a fresh cluster id when it is new.
stack_kafka_prepare() {
  mkdir -p "$STACK_KAFKA_LOGS"
  sed -e "s|\${KAFKA_PORT}|$KAFKA_PORT|g" -e "s|\${KAFKA_CONTROLLER_PORT}|$KAFKA_CONTROLLER_PORT|g" \
    -e "s|\${KAFKA_DATA_DIR}|$(printf '%s' "$STACK_KAFKA_DATA" | sed 's/[&|\\]/\\&/g')|g" \
    "$STACK_KAFKA_TOOLS/server.properties.template" >"$STACK_KAFKA_CONFIG"
  if [ "${STACK_FRESH:-0}" = 1 ]; then rm -rf "$STACK_KAFKA_DATA"; fi
  if [ -f "$STACK_KAFKA_DATA/meta.properties" ]; then return 0; fi
  # A cluster id is 16 random bytes in base64url (22 chars) that must not start with '-'.
  local cid="-"
  while [[ "$cid" == -* ]]; do cid="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"; done
  if ! java -Xmx256m "-Dlog4j.configuration=file:$STACK_KAFKA_TOOLS/log4j.properties" \
    "-Dkafka.logs.dir=$STACK_KAFKA_LOGS" -cp "$STACK_KAFKA_LIBS/*" kafka.tools.StorageTool \
    format -t "$cid" -c "$STACK_KAFKA_CONFIG" --ignore-formatted >"$STACK_KAFKA_LOGS/format.out" 2>&1; then
    cat "$STACK_KAFKA_LOGS/format.out" >&2
    stack_err "Formatting the Kafka storage in $STACK_KAFKA_DATA failed (see above)."
    return 1
  fi
}

# ----- process --------------------------------------------------------------------------------
stack_pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

# Prints the pid of the broker this checkout started, if alive and still running OUR config
# (guards against pid reuse); removes stale pid files.
stack_kafka_our_pid() {
  local pid
  [ -f "$STACK_KAFKA_PIDFILE" ] || return 1
  pid="$(tr -dc '0-9' <"$STACK_KAFKA_PIDFILE")"
  if stack_pid_alive "$pid" && [[ "$(ps -o args= -p "$pid" 2>/dev/null)" == *kafka.Kafka*"$STACK_KAFKA_CONFIG"* ]]; then
    printf '%s\n' "$pid"
    return 0
  fi
  rm -f "$STACK_KAFKA_PIDFILE" "$STACK_KAFKA_PORTFILE"
  return 1
}
stack_kafka_our_port() { tr -dc '0-9' <"$STACK_KAFKA_PORTFILE" 2>/dev/null || true; }

stack_kafka_log_tail() { tail -n 40 "$STACK_KAFKA_LOGS/server.log" "$STACK_KAFKA_LOGS/kafka.out" >&2 2>/dev/null || true; }

# Waits until PID's broker accepts TCP on KAFKA_PORT and its log says "Kafka Server started".
stack_kafka_wait_ready() {
  local pid="$1" deadline=$((SECONDS + ${STACK_KAFKA_TIMEOUT:-90}))
  until stack_tcp_open 127.0.0.1 "$KAFKA_PORT" && grep -q 'Kafka Server started' "$STACK_KAFKA_LOGS/server.log" 2>/dev/null; do
    if ! stack_pid_alive "$pid"; then
      stack_err "The Kafka broker (pid $pid) exited during start-up; see the log below (a stale data dir? retry with STACK_FRESH=1)."
      stack_kafka_log_tail
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      stack_err "The Kafka broker (pid $pid) is not ready after ${STACK_KAFKA_TIMEOUT:-90} s; it is still running (stop it with 'npm run stack -- down'), see the log below."
      stack_kafka_log_tail
      return 1
    fi
    sleep 0.5
  done
}

stack_kafka_start() {
  stack_check_java && stack_kafka_fetch_jars || return 1
  if stack_tcp_open 127.0.0.1 "$KAFKA_CONTROLLER_PORT"; then
    stack_err "Port $KAFKA_CONTROLLER_PORT (Kafka controller) is already in use by another program: free it or set KAFKA_CONTROLLER_PORT."
    return 1
  fi
  stack_kafka_prepare || return 1
  local f started=$SECONDS
  # The previous run's logs stay for troubleshooting; readiness reads a fresh server.log.
  for f in server.log kafka.out; do [ -f "$STACK_KAFKA_LOGS/$f" ] && mv -f "$STACK_KAFKA_LOGS/$f" "$STACK_KAFKA_LOGS/$f.prev"; done
  # Own session (setsid), so a Ctrl-C meant for `npm start`/`npm test` does not hit the broker:
  # the script that started it stops it. Without job control setsid execs, so $! is java's pid.
  local detach=()
  if [[ $- != *m* ]]; then detach=(setsid); fi
  # shellcheck disable=SC2086 # heap options are a word list on purpose
  (
    if [ -n "${STACK_LOCK_FD:-}" ]; then eval "exec ${STACK_LOCK_FD}>&-"; fi
    exec ${detach[@]+"${detach[@]}"} nohup java ${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m} -XX:+UseSerialGC \
      -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true "-Dkafka.logs.dir=$STACK_KAFKA_LOGS" \
      "-Dlog4j.configuration=file:$STACK_KAFKA_TOOLS/log4j.properties" \
      -cp "$STACK_KAFKA_LIBS/*" kafka.Kafka "$STACK_KAFKA_CONFIG"
  ) </dev/null >"$STACK_KAFKA_LOGS/kafka.out" 2>&1 &
  STACK_KAFKA_PID=$!
  STACK_STARTED_KAFKA=1
  printf '%s\n' "$STACK_KAFKA_PID" >"$STACK_KAFKA_PIDFILE"
  printf '%s\n' "$KAFKA_PORT" >"$STACK_KAFKA_PORTFILE"
  stack_log "starting Kafka broker (pid $STACK_KAFKA_PID) on 127.0.0.1:$KAFKA_PORT, controller 127.0.0.1:$KAFKA_CONTROLLER_PORT ..."
  stack_kafka_wait_ready "$STACK_KAFKA_PID" || return 1
  stack_log "kafka: broker started in $((SECONDS - started)) s (logs .stack/kafka/logs/server.log)"
}

# Idempotent: reuse whatever answers on KAFKA_BROKERS, otherwise start our broker. Serialised
# with flock so two parallel `up`s cannot start two brokers.
stack_kafka_up() {
  stack_config || return 1
  mkdir -p "$STACK_KAFKA_DIR"
  local rc=0
  exec {STACK_LOCK_FD}>"$STACK_KAFKA_DIR/.lock"
  if flock -w 180 "$STACK_LOCK_FD"; then
    stack_kafka_up_locked || rc=$?
  else
    stack_err "Another 'stack up' has held .stack/kafka/.lock for 3 minutes: wait for it or remove that file."
    rc=1
  fi
  exec {STACK_LOCK_FD}>&-
  STACK_LOCK_FD=""
  return "$rc"
}

stack_kafka_up_locked() {
  local pid
  if stack_tcp_open "$STACK_KAFKA_HOST" "$STACK_KAFKA_BPORT"; then
    stack_log "kafka: something already answers on $KAFKA_BROKERS; using it."
    return 0
  fi
  if [ "$STACK_KAFKA_LOCAL" != 1 ]; then
    stack_err "Kafka is not reachable at $KAFKA_BROKERS, which is not a local address, so it cannot be started here: start that broker or unset KAFKA_BROKERS."
    return 1
  fi
  if pid="$(stack_kafka_our_pid)"; then
    if [ "$(stack_kafka_our_port)" != "$KAFKA_PORT" ]; then
      stack_err "This checkout's broker already runs on 127.0.0.1:$(stack_kafka_our_port) (pid $pid), not on $KAFKA_BROKERS: stop it with 'npm run stack -- down' first."
      return 1
    fi
    stack_log "kafka: our broker (pid $pid) is still starting; waiting for it ..."
    stack_kafka_wait_ready "$pid"
    return
  fi
  stack_kafka_start
}

# SIGTERM our own pid (controlled shutdown), up to 20 s, then SIGKILL. Never anything else.
stack_kafka_stop() {
  stack_config || return 1
  local pid i
  if ! pid="$(stack_kafka_our_pid)"; then
    stack_log "kafka: no broker started by this checkout is running; nothing stopped."
    return 0
  fi
  stack_log "kafka: stopping this checkout's broker pid $pid on 127.0.0.1:$(stack_kafka_our_port) ..."
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 40; i++)); do stack_pid_alive "$pid" || break; sleep 0.5; done
  if stack_pid_alive "$pid"; then
    stack_log "kafka: broker pid $pid did not stop within 20 s; sending SIGKILL."
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$STACK_KAFKA_PIDFILE" "$STACK_KAFKA_PORTFILE"
  if [ "$STACK_KAFKA_PID" = "$pid" ]; then STACK_STARTED_KAFKA=0 STACK_KAFKA_PID=""; fi
  stack_log "kafka: stopped."
}

stack_down_if_started_by_us() {
  if [ "$STACK_STARTED_KAFKA" = 1 ] && [ "$(stack_kafka_our_pid)" = "$STACK_KAFKA_PID" ]; then stack_kafka_stop; fi
  return 0
}
