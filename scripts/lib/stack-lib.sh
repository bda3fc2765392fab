# shellcheck shell=bash
# Local stack helpers for usage-ledger: a real Apache Kafka broker (KRaft, single combined node)
# run from jars fetched off Maven Central, plus checks for PostgreSQL and Redis.
#
# Meant to be *sourced* (it does not change the caller's shell options and never calls `exit`):
#
#   source "$(dirname "$0")/lib/stack-lib.sh"
#   stack_up || exit 1                       # Kafka (start if needed) + Postgres (+DB) + Redis
#   trap stack_down_if_started_by_us EXIT    # stop the broker only if THIS shell started it
#
# Call stack_up in the current shell, not in a pipe or $(...): it records in shell variables
# whether it started the broker, and a subshell's variables are lost.
#
# Public functions (all return non-zero on failure, with one clear sentence on stderr):
#   stack_config                   resolve env defaults, export KAFKA_BROKERS/DATABASE_URL/REDIS_URL
#   stack_up                       stack_check_prereqs + stack_kafka_up + stack_postgres_ensure_db
#   stack_check_prereqs            Postgres + Redis reachable; java (and mvn if jars not cached)
#   stack_down                     stop the broker this project started (pid file), else say so
#   stack_down_if_started_by_us    stop the broker only if stack_up in THIS shell started it
#   stack_status                   one line per service; returns 1 if any is down
#   stack_kafka_up                 idempotent: reuse a broker answering on KAFKA_BROKERS, else start
#   stack_kafka_stop               SIGTERM our own pid, wait ~20 s, then SIGKILL; remove pid file
#   stack_kafka_fetch_jars         mvn copy-dependencies into .stack/kafka/libs (cached)
#   stack_kafka_is_up              0 if something accepts TCP on KAFKA_BROKERS (first entry)
#   stack_kafka_our_pid            print the pid of the broker this project started (if alive)
#   stack_kafka_our_port           print the port that broker listens on
#   stack_postgres_is_up / stack_postgres_ensure_db / stack_redis_is_up
#   stack_docker_available / stack_docker_up / stack_docker_down / stack_docker_status
#
# Variables set for the caller:
#   STACK_STARTED_KAFKA=1|0   whether this shell's stack_up/stack_kafka_up started the broker
#   STACK_KAFKA_PID           pid of the broker this shell started (empty otherwise)
#   STACK_KAFKA_START_SECONDS broker start-up time measured by this shell (empty if reused)
#
# Environment honoured: KAFKA_BROKERS, KAFKA_PORT, KAFKA_CONTROLLER_PORT, DATABASE_URL, REDIS_URL,
# STACK_FRESH (1 = wipe the broker data dir and re-format when starting), STACK_MODE (docker|native),
# STACK_KAFKA_TIMEOUT (seconds to wait for the broker, default 90), STACK_KAFKA_WARMUP_TIMEOUT
# (seconds to wait for the group coordinator, default 30), KAFKA_HEAP_OPTS (default
# "-Xms256m -Xmx512m").

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
STACK_KAFKA_POM="$STACK_ROOT/tools/kafka/pom.xml"
STACK_KAFKA_TEMPLATE="$STACK_ROOT/tools/kafka/server.properties.template"
STACK_KAFKA_LOG4J="$STACK_ROOT/tools/kafka/log4j.properties"
STACK_M2="$STACK_DIR/m2"

# Per shell, never inherited: a script only ever stops a broker that it started itself.
STACK_STARTED_KAFKA=0
STACK_KAFKA_PID=""
STACK_KAFKA_START_SECONDS=""
STACK_LOCK_FD=""

# ---------------------------------------------------------------------------------------------
# small utilities
# ---------------------------------------------------------------------------------------------
stack_log() { printf '[stack] %s\n' "$*" >&2; }
stack_err() { printf '[stack] ERROR: %s\n' "$*" >&2; }

# Milliseconds since the epoch (bash 5 EPOCHREALTIME, else date).
stack_now_ms() {
  if [ -n "${EPOCHREALTIME:-}" ]; then
    local t="${EPOCHREALTIME/[.,]/}"
    printf '%s\n' "${t:0:${#t}-3}"
  else
    printf '%s000\n' "$(date +%s)"
  fi
}
# Format a millisecond duration as seconds with one decimal.
stack_fmt_secs() { local ms="$1"; printf '%d.%d' $((ms / 1000)) $(((ms % 1000) / 100)); }

# stack_tcp_open HOST PORT -> 0 if something accepts a TCP connection (2 s timeout).
# shellcheck disable=SC2016 # $0/$1 are expanded by the inner bash on purpose
stack_tcp_open() {
  local host="$1" port="$2"
  if command -v timeout >/dev/null 2>&1; then
    timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$host" "$port" >/dev/null 2>&1
  else
    bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$host" "$port" >/dev/null 2>&1
  fi
}

# Hide the password in a URL for messages.
stack_mask_url() { printf '%s\n' "$1" | sed -E 's#(://[^:/@]+):[^@/]*@#\1:***@#'; }

# ---------------------------------------------------------------------------------------------
# configuration
# ---------------------------------------------------------------------------------------------
# Resolves defaults. KAFKA_BROKERS and KAFKA_PORT are kept consistent: if only one is set the
# other is derived from it; the broker we start always listens on 127.0.0.1:KAFKA_PORT.
stack_config() {
  if [ -z "${KAFKA_BROKERS:-}" ]; then
    KAFKA_PORT="${KAFKA_PORT:-19092}"
    KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT"
  fi
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
  if [ "$STACK_KAFKA_LOCAL" = 1 ]; then
    if [ -z "${KAFKA_PORT:-}" ]; then
      KAFKA_PORT="$STACK_KAFKA_BPORT"
    elif [ "$KAFKA_PORT" != "$STACK_KAFKA_BPORT" ]; then
      stack_err "KAFKA_BROKERS ($KAFKA_BROKERS) and KAFKA_PORT ($KAFKA_PORT) disagree: set only one of them."
      return 1
    fi
  fi
  KAFKA_PORT="${KAFKA_PORT:-19092}"
  KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-19093}"
  DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/usage_ledger}"
  REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
  export KAFKA_BROKERS KAFKA_PORT KAFKA_CONTROLLER_PORT DATABASE_URL REDIS_URL
}

# ---------------------------------------------------------------------------------------------
# prerequisites
# ---------------------------------------------------------------------------------------------
stack_java_major() {
  local v
  v="$(java -version 2>&1 | sed -nE 's/.*version "([0-9]+)(\.([0-9]+))?.*/\1 \3/p' | head -n1)"
  local major minor
  read -r major minor <<<"$v"
  set -- "${major:-0}" "${minor:-}"
  if [ "${1:-0}" = 1 ]; then printf '%s\n' "${2:-0}"; else printf '%s\n' "${1:-0}"; fi
}

stack_check_java() {
  if ! command -v java >/dev/null 2>&1; then
    stack_err "Java is not installed: install a JDK/JRE 17 (e.g. 'sudo apt-get install openjdk-17-jre-headless') to run the local Kafka broker, or use STACK_MODE=docker."
    return 1
  fi
  local major
  major="$(stack_java_major)"
  if [ "${major:-0}" -lt 11 ] 2>/dev/null; then
    stack_err "Java $major is too old for Kafka 3.9: install Java 17 (e.g. 'sudo apt-get install openjdk-17-jre-headless')."
    return 1
  fi
}

stack_check_mvn() {
  if ! command -v mvn >/dev/null 2>&1; then
    stack_err "Maven is needed once to download the Kafka jars into .stack/kafka/libs: install it (e.g. 'sudo apt-get install maven')."
    return 1
  fi
}

# ---------------------------------------------------------------------------------------------
# Kafka: jars, config, storage
# ---------------------------------------------------------------------------------------------
stack_kafka_pom_sum() { cksum <"$STACK_KAFKA_POM" | awk '{print $1 "-" $2}'; }

stack_kafka_jars_present() {
  [ -f "$STACK_KAFKA_LIBS/.complete" ] &&
    [ "$(cat "$STACK_KAFKA_LIBS/.complete" 2>/dev/null)" = "$(stack_kafka_pom_sum)" ] &&
    compgen -G "$STACK_KAFKA_LIBS/kafka_2.13-*.jar" >/dev/null
}

# Fetches the broker jars with Maven unless already cached (keyed on the pom's checksum).
# Uses a project-local Maven repository (.stack/m2) so it works from a clean clone.
stack_kafka_fetch_jars() {
  if stack_kafka_jars_present; then return 0; fi
  stack_check_mvn || return 1
  stack_check_java || return 1
  mkdir -p "$STACK_M2"
  rm -rf "$STACK_KAFKA_LIBS"
  mkdir -p "$STACK_KAFKA_LIBS"
  stack_log "fetching Kafka broker jars from Maven Central into .stack/kafka/libs (first run only) ..."
  local t0 version ok=0
  t0="$(stack_now_ms)"
  # 3.9.2 is pinned in the pom; 3.9.1 is the fallback if 3.9.2 cannot be resolved.
  for version in "" 3.9.1; do
    local vargs=()
    if [ -n "$version" ]; then
      vargs=("-Dkafka.version=$version")
      stack_log "retrying with Kafka $version ..."
    fi
    # Output goes through a file: Debian's Maven 3.8.7 prints stray ANSI resets even with -q -B.
    if mvn -B -q -Dstyle.color=never -f "$STACK_KAFKA_POM" "-Dmaven.repo.local=$STACK_M2" \
      ${vargs[@]+"${vargs[@]}"} dependency:copy-dependencies -DincludeScope=runtime \
      "-DoutputDirectory=$STACK_KAFKA_LIBS" </dev/null >"$STACK_DIR/mvn.out" 2>&1; then
      ok=1
    fi
    sed 's/\x1b\[[0-9;]*m//g' "$STACK_DIR/mvn.out" | grep -v '^[[:space:]]*$' >&2 || true
    if [ "$ok" = 1 ]; then break; fi
    rm -rf "$STACK_KAFKA_LIBS" && mkdir -p "$STACK_KAFKA_LIBS"
  done
  if [ "$ok" != 1 ] || ! compgen -G "$STACK_KAFKA_LIBS/kafka_2.13-*.jar" >/dev/null; then
    stack_err "Could not download the Kafka jars with Maven (see the output above): check access to Maven Central (repo.maven.apache.org) or a proxy in ~/.m2/settings.xml."
    return 1
  fi
  stack_kafka_pom_sum >"$STACK_KAFKA_LIBS/.complete"
  local n
  n="$(find "$STACK_KAFKA_LIBS" -name '*.jar' | wc -l | tr -d ' ')"
  stack_log "fetched $n jars ($(basename "$(compgen -G "$STACK_KAFKA_LIBS/kafka_2.13-*.jar" | head -n1)")) in $(stack_fmt_secs $(($(stack_now_ms) - t0))) s"
}

stack_kafka_render_config() {
  mkdir -p "$STACK_KAFKA_DIR" "$STACK_KAFKA_LOGS"
  local data_esc
  data_esc="$(printf '%s' "$STACK_KAFKA_DATA" | sed 's/[&|\\]/\\&/g')"
  sed -e "s|\${KAFKA_PORT}|$KAFKA_PORT|g" \
    -e "s|\${KAFKA_CONTROLLER_PORT}|$KAFKA_CONTROLLER_PORT|g" \
    -e "s|\${KAFKA_DATA_DIR}|$data_esc|g" \
    "$STACK_KAFKA_TEMPLATE" >"$STACK_KAFKA_CONFIG.tmp"
  mv "$STACK_KAFKA_CONFIG.tmp" "$STACK_KAFKA_CONFIG"
}

# A Kafka cluster id: 16 random bytes, base64url without padding (22 chars), not starting with
# '-' (what kafka.tools.StorageTool random-uuid prints, without paying for a JVM start).
stack_kafka_random_cluster_id() {
  local cid="" i
  if command -v base64 >/dev/null 2>&1 && [ -r /dev/urandom ]; then
    for ((i = 0; i < 10; i++)); do
      cid="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
      case "$cid" in -*) ;; *) break ;; esac
    done
  fi
  if ! [[ "$cid" =~ ^[A-Za-z0-9_][A-Za-z0-9_-]{21}$ ]]; then
    cid="$(java -Xmx256m -cp "$STACK_KAFKA_LIBS/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1 | tr -d '[:space:]')"
  fi
  printf '%s\n' "$cid"
}

# Formats the storage dir with a fresh cluster id when it is new (or wiped by STACK_FRESH=1).
stack_kafka_format() {
  if [ "${STACK_FRESH:-0}" = 1 ] && [ -d "$STACK_KAFKA_DATA" ]; then
    stack_log "STACK_FRESH=1: wiping $STACK_KAFKA_DATA"
    rm -rf "$STACK_KAFKA_DATA"
  fi
  if [ -f "$STACK_KAFKA_DATA/meta.properties" ]; then return 0; fi
  mkdir -p "$STACK_KAFKA_DATA"
  local cid out
  cid="$(stack_kafka_random_cluster_id)"
  if ! [[ "$cid" =~ ^[A-Za-z0-9_-]{22}$ ]]; then
    stack_err "Could not generate a Kafka cluster id (got '$cid'): the jars in .stack/kafka/libs may be broken, delete that folder and retry."
    return 1
  fi
  if ! out="$(java -Xmx256m "-Dlog4j.configuration=file:$STACK_KAFKA_LOG4J" "-Dkafka.logs.dir=$STACK_KAFKA_LOGS" \
    -cp "$STACK_KAFKA_LIBS/*" kafka.tools.StorageTool format -t "$cid" -c "$STACK_KAFKA_CONFIG" --ignore-formatted 2>&1)"; then
    printf '%s\n' "$out" >&2
    stack_err "Formatting the Kafka storage in $STACK_KAFKA_DATA failed (see above)."
    return 1
  fi
  stack_log "formatted $STACK_KAFKA_DATA (cluster id $cid)"
}

# ---------------------------------------------------------------------------------------------
# Kafka: process management
# ---------------------------------------------------------------------------------------------
stack_pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

# 0 if PID is a Kafka broker running OUR config (guards against pid reuse).
stack_pid_is_our_broker() {
  local args
  args="$(ps -o args= -p "$1" 2>/dev/null || true)"
  case "$args" in *kafka.Kafka*"$STACK_KAFKA_CONFIG"*) return 0 ;; esac
  return 1
}

# Prints the pid of the broker this project started, if it is still alive; removes stale pid files.
stack_kafka_our_pid() {
  [ -f "$STACK_KAFKA_PIDFILE" ] || return 1
  local pid
  pid="$(tr -dc '0-9' <"$STACK_KAFKA_PIDFILE")"
  if stack_pid_alive "$pid" && stack_pid_is_our_broker "$pid"; then
    printf '%s\n' "$pid"
    return 0
  fi
  rm -f "$STACK_KAFKA_PIDFILE" "$STACK_KAFKA_PORTFILE"
  return 1
}

# Port our broker listens on (written when it was started).
stack_kafka_our_port() { tr -dc '0-9' <"$STACK_KAFKA_PORTFILE" 2>/dev/null || true; }

# 0 (and prints the pid) if the broker answering on KAFKA_BROKERS is the one this project started.
stack_kafka_serving_pid() {
  local pid
  [ "$STACK_KAFKA_LOCAL" = 1 ] || return 1
  pid="$(stack_kafka_our_pid)" || return 1
  [ "$(stack_kafka_our_port)" = "$STACK_KAFKA_BPORT" ] || return 1
  printf '%s\n' "$pid"
}

stack_kafka_is_up() { stack_tcp_open "$STACK_KAFKA_HOST" "$STACK_KAFKA_BPORT"; }

stack_kafka_log_tail() {
  local f
  for f in "$STACK_KAFKA_LOGS/kafka.out" "$STACK_KAFKA_LOGS/server.log"; do
    if [ -s "$f" ]; then
      printf -- '----- last lines of %s -----\n' "${f#"$STACK_ROOT"/}" >&2
      tail -n "${1:-40}" "$f" >&2
    fi
  done
}

# Waits until PID's broker accepts TCP on KAFKA_PORT and its log says "Kafka Server started".
stack_kafka_wait_ready() {
  local pid="$1" timeout="${STACK_KAFKA_TIMEOUT:-90}" t0
  t0="$(stack_now_ms)"
  while :; do
    if ! stack_pid_alive "$pid"; then
      stack_err "The Kafka broker (pid $pid) exited during start-up; see the log below (a stale data dir? retry with STACK_FRESH=1)."
      stack_kafka_log_tail 40
      rm -f "$STACK_KAFKA_PIDFILE" "$STACK_KAFKA_PORTFILE"
      return 1
    fi
    if stack_tcp_open 127.0.0.1 "$KAFKA_PORT" &&
      grep -q 'Kafka Server started' "$STACK_KAFKA_LOGS/server.log" 2>/dev/null; then
      return 0
    fi
    if [ $(($(stack_now_ms) - t0)) -ge $((timeout * 1000)) ]; then
      stack_err "The Kafka broker (pid $pid) did not become ready within ${timeout} s; it is still running (stop it with 'npm run stack -- down'), see the log below."
      stack_kafka_log_tail 40
      return 1
    fi
    sleep 0.5
  done
}

# shellcheck disable=SC2016 # expanded by the inner bash on purpose
# Sends one raw Kafka request (printf-escaped bytes) and prints the first N response bytes as hex.
stack_kafka_raw() {
  timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1" || exit 1; printf "$2" >&3; head -c "$3" <&3' \
    127.0.0.1 "$KAFKA_PORT" "$1" "$2" 2>/dev/null | od -An -tx1 | tr -d ' \n'
}

# On a freshly formatted broker the first consumer-group join fails ("group coordinator is not
# available" / "coordinator is loading") until __consumer_offsets exists and is loaded; kafkajs
# then crashes and restarts the consumer. Warm it up here, with two raw requests over /dev/tcp:
# FindCoordinator v0 (creates __consumer_offsets) and OffsetFetch v2 (error 0 once loaded).
# Best effort: a failure only prints a note.
stack_kafka_warm_coordinator() {
  command -v timeout >/dev/null 2>&1 && command -v od >/dev/null 2>&1 || return 0
  local deadline hex
  deadline=$(($(stack_now_ms) + ${STACK_KAFKA_WARMUP_TIMEOUT:-30} * 1000))
  # FindCoordinator v0, client "stack", key "stack-warmup": bytes 9-10 of the response = error code.
  while :; do
    hex="$(stack_kafka_raw '\x00\x00\x00\x1d\x00\x0a\x00\x00\x00\x00\x00\x01\x00\x05stack\x00\x0cstack-warmup' 10)"
    [ "${hex:16:4}" = 0000 ] && break
    if [ "$(stack_now_ms)" -ge "$deadline" ]; then
      stack_log "kafka: note: the group coordinator was not ready yet (FindCoordinator: ${hex:-no answer}); the first consumer may retry."
      return 0
    fi
    sleep 0.3
  done
  # OffsetFetch v2, group "stack-warmup", all topics: bytes 13-14 = top-level error code.
  while :; do
    hex="$(stack_kafka_raw '\x00\x00\x00\x21\x00\x09\x00\x02\x00\x00\x00\x02\x00\x05stack\x00\x0cstack-warmup\xff\xff\xff\xff' 14)"
    [ "${hex:24:4}" = 0000 ] && return 0
    if [ "$(stack_now_ms)" -ge "$deadline" ]; then
      stack_log "kafka: note: the group coordinator was still loading (OffsetFetch: ${hex:-no answer}); the first consumer may retry."
      return 0
    fi
    sleep 0.3
  done
}

stack_kafka_start() {
  stack_check_java || return 1
  stack_kafka_fetch_jars || return 1
  if stack_tcp_open 127.0.0.1 "$KAFKA_CONTROLLER_PORT"; then
    stack_err "Port $KAFKA_CONTROLLER_PORT (Kafka controller) is already in use by another program: free it or set KAFKA_CONTROLLER_PORT to a free port."
    return 1
  fi
  stack_kafka_render_config || return 1
  stack_kafka_format || return 1
  mkdir -p "$STACK_KAFKA_LOGS"
  # Keep the previous run's logs for troubleshooting, and make readiness detection unambiguous.
  local f
  for f in server.log state-change.log kafka.out; do
    if [ -f "$STACK_KAFKA_LOGS/$f" ]; then mv -f "$STACK_KAFKA_LOGS/$f" "$STACK_KAFKA_LOGS/$f.prev"; fi
  done
  local heap="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}" t0 pid
  local detach=()
  # Own session, so a Ctrl-C meant for `npm start`/`npm test` does not hit the broker (the test
  # runner stops it itself). Only without job control: there setsid does not fork, so $! stays
  # the java pid; with job control (interactive shell) the job gets its own process group anyway.
  if command -v setsid >/dev/null 2>&1 && [[ $- != *m* ]]; then detach=(setsid); fi
  t0="$(stack_now_ms)"
  # The subshell execs into setsid -> nohup -> java (same pid); it first closes the lock fd so the
  # broker does not hold .stack/kafka/.lock for its whole life.
  # shellcheck disable=SC2086 # heap options are a word list on purpose
  (
    if [ -n "${STACK_LOCK_FD:-}" ]; then eval "exec ${STACK_LOCK_FD}>&-"; fi
    exec ${detach[@]+"${detach[@]}"} nohup java $heap -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError \
      -Djava.awt.headless=true "-Dkafka.logs.dir=$STACK_KAFKA_LOGS" \
      "-Dlog4j.configuration=file:$STACK_KAFKA_LOG4J" \
      -cp "$STACK_KAFKA_LIBS/*" kafka.Kafka "$STACK_KAFKA_CONFIG"
  ) </dev/null >"$STACK_KAFKA_LOGS/kafka.out" 2>&1 &
  pid=$!
  printf '%s\n' "$pid" >"$STACK_KAFKA_PIDFILE"
  printf '%s\n' "$KAFKA_PORT" >"$STACK_KAFKA_PORTFILE"
  STACK_STARTED_KAFKA=1
  STACK_KAFKA_PID="$pid"
  stack_log "starting Kafka broker (pid $pid) on 127.0.0.1:$KAFKA_PORT, controller 127.0.0.1:$KAFKA_CONTROLLER_PORT ..."
  stack_kafka_wait_ready "$pid" || return 1
  local t1
  t1="$(stack_now_ms)"
  stack_kafka_warm_coordinator
  STACK_KAFKA_START_SECONDS="$(stack_fmt_secs $(($(stack_now_ms) - t0)))"
  stack_log "kafka: broker started in ${STACK_KAFKA_START_SECONDS} s (ready after $(stack_fmt_secs $((t1 - t0))) s + $(stack_fmt_secs $(($(stack_now_ms) - t1))) s group-coordinator warm-up; pid $pid, $KAFKA_BROKERS, logs .stack/kafka/logs/server.log)"
}

# Idempotent: reuse whatever answers on KAFKA_BROKERS; otherwise start our broker.
# Serialised with flock (when available) so two parallel `up`s cannot start two brokers.
stack_kafka_up() {
  stack_config || return 1
  if ! command -v flock >/dev/null 2>&1; then
    stack_kafka_up_locked
    return
  fi
  mkdir -p "$STACK_KAFKA_DIR"
  local rc=0
  exec {STACK_LOCK_FD}>"$STACK_KAFKA_DIR/.lock"
  if ! flock -w 180 "$STACK_LOCK_FD"; then
    stack_err "Another 'stack up' has held .stack/kafka/.lock for 3 minutes: wait for it or remove that file."
    rc=1
  else
    stack_kafka_up_locked || rc=$?
  fi
  exec {STACK_LOCK_FD}>&-
  STACK_LOCK_FD=""
  return "$rc"
}

stack_kafka_up_locked() {
  local pid
  if stack_kafka_is_up; then
    if pid="$(stack_kafka_serving_pid)"; then
      stack_log "kafka: already running on $KAFKA_BROKERS (started by this project, pid $pid); using it."
    else
      stack_log "kafka: something already answers on $KAFKA_BROKERS (not started by this project); using it as is."
    fi
    if [ "${STACK_FRESH:-0}" = 1 ]; then
      stack_log "kafka: STACK_FRESH=1 ignored because a broker is already running (run 'npm run stack -- down' first for a fresh one)."
    fi
    return 0
  fi
  if [ "$STACK_KAFKA_LOCAL" != 1 ]; then
    stack_err "Kafka is not reachable at $KAFKA_BROKERS and it is not a local address, so it cannot be started here: start that broker or unset KAFKA_BROKERS to use the local one."
    return 1
  fi
  if pid="$(stack_kafka_our_pid)"; then
    if [ "$(stack_kafka_our_port)" != "$KAFKA_PORT" ]; then
      stack_err "This project's broker is already running on 127.0.0.1:$(stack_kafka_our_port) (pid $pid), not on $KAFKA_BROKERS: stop it with 'npm run stack -- down' first (one broker per checkout)."
      return 1
    fi
    # Our broker is alive but not answering yet (still starting, e.g. a parallel `up`): wait for it.
    stack_log "kafka: our broker (pid $pid) is still starting; waiting for it ..."
    stack_kafka_wait_ready "$pid"
    return
  fi
  stack_kafka_start
}

# SIGTERM our own pid (controlled shutdown), wait up to ~20 s, then SIGKILL. Never pkill.
stack_kafka_stop() {
  stack_config || return 1
  local pid i
  if ! pid="$(stack_kafka_our_pid)"; then
    if stack_kafka_is_up; then
      stack_log "kafka: the broker on $KAFKA_BROKERS was not started by this project (no live pid in .stack/kafka/kafka.pid); leaving it running."
    else
      stack_log "kafka: not running."
    fi
    return 0
  fi
  if stack_kafka_is_up && ! stack_kafka_serving_pid >/dev/null; then
    stack_log "kafka: the broker on $KAFKA_BROKERS was not started by this project; leaving it running."
  fi
  stack_log "kafka: stopping this project's broker pid $pid on 127.0.0.1:$(stack_kafka_our_port) (SIGTERM) ..."
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 40; i++)); do
    stack_pid_alive "$pid" || break
    sleep 0.5
  done
  if stack_pid_alive "$pid"; then
    stack_log "kafka: broker pid $pid did not stop within 20 s; sending SIGKILL."
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 10; i++)); do
      stack_pid_alive "$pid" || break
      sleep 0.5
    done
  fi
  rm -f "$STACK_KAFKA_PIDFILE" "$STACK_KAFKA_PORTFILE"
  if [ "${STACK_KAFKA_PID:-}" = "$pid" ]; then STACK_STARTED_KAFKA=0; STACK_KAFKA_PID=""; fi
  stack_log "kafka: stopped."
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------------------------
# Splits DATABASE_URL into STACK_PG_HOST, STACK_PG_PORT, STACK_PG_DB and STACK_PG_ADMIN_URL
# (same URL pointing at the `postgres` maintenance database).
stack_pg_parse() {
  local url="$DATABASE_URL" rest auth hostport path query=""
  if ! [[ "$url" =~ ^postgres(ql)?:// ]]; then
    stack_err "DATABASE_URL must be a postgres:// URL (got '$(stack_mask_url "$url")')."
    return 1
  fi
  rest="${url#*://}"
  case "$rest" in *\?*) query="?${rest#*\?}"; rest="${rest%%\?*}" ;; esac
  case "$rest" in */*) path="${rest#*/}"; rest="${rest%%/*}" ;; *) path="" ;; esac
  case "$rest" in *@*) auth="${rest%@*}@"; hostport="${rest##*@}" ;; *) auth=""; hostport="$rest" ;; esac
  if [[ "$hostport" =~ ^(.*):([0-9]+)$ ]]; then
    STACK_PG_HOST="${BASH_REMATCH[1]}"
    STACK_PG_PORT="${BASH_REMATCH[2]}"
  else
    STACK_PG_HOST="$hostport"
    STACK_PG_PORT=5432
  fi
  STACK_PG_HOST="${STACK_PG_HOST:-127.0.0.1}"
  STACK_PG_DB="${path:-postgres}"
  STACK_PG_ADMIN_URL="${url%%://*}://${auth}${hostport}/postgres${query}"
}

stack_postgres_is_up() {
  stack_config || return 1
  stack_pg_parse || return 1
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -t 3 -d "$STACK_PG_ADMIN_URL" >/dev/null 2>&1
  else
    stack_tcp_open "$STACK_PG_HOST" "$STACK_PG_PORT"
  fi
}

# Creates the database named in DATABASE_URL if it does not exist yet.
stack_postgres_ensure_db() {
  stack_config || return 1
  stack_pg_parse || return 1
  if ! stack_postgres_is_up; then
    stack_err "PostgreSQL is not reachable at $STACK_PG_HOST:$STACK_PG_PORT (DATABASE_URL=$(stack_mask_url "$DATABASE_URL")): start it (e.g. 'sudo service postgresql start') or point DATABASE_URL at a running server."
    return 1
  fi
  if ! command -v psql >/dev/null 2>&1; then
    stack_err "psql is not installed, so the database '$STACK_PG_DB' cannot be checked or created: install the PostgreSQL client (e.g. 'sudo apt-get install postgresql-client')."
    return 1
  fi
  local exists dbname_sql dbname_ident out
  dbname_sql="${STACK_PG_DB//\'/\'\'}"
  if ! exists="$(psql "$STACK_PG_ADMIN_URL" -X -v ON_ERROR_STOP=1 -tAc "SELECT 1 FROM pg_database WHERE datname = '$dbname_sql'" 2>&1)"; then
    printf '%s\n' "$exists" >&2
    stack_err "Could not query PostgreSQL at $STACK_PG_HOST:$STACK_PG_PORT as given by DATABASE_URL (see above): check the user, password and pg_hba.conf."
    return 1
  fi
  if [ "$exists" = 1 ]; then
    stack_log "postgres: up at $STACK_PG_HOST:$STACK_PG_PORT, database '$STACK_PG_DB' exists."
    return 0
  fi
  dbname_ident="\"${STACK_PG_DB//\"/\"\"}\""
  if ! out="$(psql "$STACK_PG_ADMIN_URL" -X -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $dbname_ident" 2>&1)"; then
    # A parallel `up` may have created it in the meantime.
    if printf '%s' "$out" | grep -q 'already exists'; then return 0; fi
    printf '%s\n' "$out" >&2
    stack_err "Could not create the database '$STACK_PG_DB' (see above): create it yourself or give the DATABASE_URL user the CREATEDB right."
    return 1
  fi
  stack_log "postgres: up at $STACK_PG_HOST:$STACK_PG_PORT, created database '$STACK_PG_DB'."
}

# ---------------------------------------------------------------------------------------------
# Redis
# ---------------------------------------------------------------------------------------------
stack_redis_parse() {
  local rest="${REDIS_URL#*://}"
  rest="${rest%%/*}"
  rest="${rest##*@}"
  if [[ "$rest" =~ ^(.*):([0-9]+)$ ]]; then
    STACK_REDIS_HOST="${BASH_REMATCH[1]}"
    STACK_REDIS_PORT="${BASH_REMATCH[2]}"
  else
    STACK_REDIS_HOST="${rest:-127.0.0.1}"
    STACK_REDIS_PORT=6379
  fi
}

stack_redis_is_up() {
  stack_config || return 1
  stack_redis_parse
  local reply=""
  if command -v redis-cli >/dev/null 2>&1 && [[ "$REDIS_URL" =~ ^redis:// ]]; then
    if command -v timeout >/dev/null 2>&1; then
      reply="$(timeout 5 redis-cli -u "$REDIS_URL" --no-auth-warning ping 2>/dev/null || true)"
    else
      reply="$(redis-cli -u "$REDIS_URL" --no-auth-warning ping 2>/dev/null || true)"
    fi
    [ "$reply" = PONG ]
    return
  fi
  # No redis-cli (or rediss://): speak RESP over bash's /dev/tcp. -NOAUTH still means "up".
  local to=()
  if command -v timeout >/dev/null 2>&1; then to=(timeout 3); fi
  # shellcheck disable=SC2016 # expanded by the inner bash on purpose
  reply="$(${to[@]+"${to[@]}"} bash -c 'exec 3<>"/dev/tcp/$0/$1" || exit 1; printf "PING\r\n" >&3; IFS= read -r line <&3; printf "%s" "$line"' \
    "$STACK_REDIS_HOST" "$STACK_REDIS_PORT" 2>/dev/null || true)"
  case "$reply" in +PONG* | -NOAUTH*) return 0 ;; esac
  return 1
}

stack_redis_check() {
  if stack_redis_is_up; then
    stack_log "redis: up at $STACK_REDIS_HOST:$STACK_REDIS_PORT."
    return 0
  fi
  stack_err "Redis is not reachable at $STACK_REDIS_HOST:$STACK_REDIS_PORT (REDIS_URL=$(stack_mask_url "$REDIS_URL")): start it (e.g. 'sudo service redis-server start') or point REDIS_URL at a running server."
  return 1
}

# ---------------------------------------------------------------------------------------------
# whole stack
# ---------------------------------------------------------------------------------------------
# Cheap checks first, so a missing prerequisite fails before a broker is started.
stack_check_prereqs() {
  stack_config || return 1
  if ! stack_postgres_is_up; then
    stack_err "PostgreSQL is not reachable at $STACK_PG_HOST:$STACK_PG_PORT (DATABASE_URL=$(stack_mask_url "$DATABASE_URL")): start it (e.g. 'sudo service postgresql start') or point DATABASE_URL at a running server."
    return 1
  fi
  stack_redis_check || return 1
  if ! stack_kafka_is_up; then
    stack_check_java || return 1
    stack_kafka_jars_present || stack_check_mvn || return 1
  fi
}

stack_up() {
  local t0
  t0="$(stack_now_ms)"
  stack_check_prereqs || return 1
  stack_kafka_up || return 1
  stack_postgres_ensure_db || return 1
  stack_log "stack up in $(stack_fmt_secs $(($(stack_now_ms) - t0))) s: KAFKA_BROKERS=$KAFKA_BROKERS DATABASE_URL=$(stack_mask_url "$DATABASE_URL") REDIS_URL=$(stack_mask_url "$REDIS_URL")"
}

stack_down() { stack_kafka_stop; }

# For test runners: stop the broker only if stack_up in THIS shell started it.
stack_down_if_started_by_us() {
  if [ "${STACK_STARTED_KAFKA:-0}" = 1 ] && [ -n "${STACK_KAFKA_PID:-}" ]; then
    stack_config || return 1
    local pid
    if pid="$(stack_kafka_our_pid)" && [ "$pid" = "$STACK_KAFKA_PID" ]; then
      stack_kafka_stop
      return
    fi
  fi
  return 0
}

stack_status() {
  stack_config || return 1
  local rc=0 pid
  if stack_kafka_is_up; then
    if pid="$(stack_kafka_serving_pid)"; then
      printf 'kafka     up    %s (ours, pid %s)\n' "$KAFKA_BROKERS" "$pid"
    else
      printf 'kafka     up    %s (not started by this project)\n' "$KAFKA_BROKERS"
    fi
  elif pid="$(stack_kafka_our_pid)"; then
    printf 'kafka     down  %s (this project'"'"'s broker pid %s on 127.0.0.1:%s is alive but %s)\n' \
      "$KAFKA_BROKERS" "$pid" "$(stack_kafka_our_port)" \
      "$([ "$(stack_kafka_our_port)" = "$STACK_KAFKA_BPORT" ] && echo 'not answering: starting or stuck' || echo 'on another port')"
    rc=1
  else
    printf 'kafka     down  %s\n' "$KAFKA_BROKERS"
    rc=1
  fi
  stack_pg_parse || return 1
  if stack_postgres_is_up; then
    printf 'postgres  up    %s:%s (database %s)\n' "$STACK_PG_HOST" "$STACK_PG_PORT" "$STACK_PG_DB"
  else
    printf 'postgres  down  %s:%s\n' "$STACK_PG_HOST" "$STACK_PG_PORT"
    rc=1
  fi
  if stack_redis_is_up; then
    printf 'redis     up    %s:%s\n' "$STACK_REDIS_HOST" "$STACK_REDIS_PORT"
  else
    printf 'redis     down  %s:%s\n' "$STACK_REDIS_HOST" "$STACK_REDIS_PORT"
    rc=1
  fi
  return "$rc"
}

# ---------------------------------------------------------------------------------------------
# Docker mode (STACK_MODE=docker or --docker)
# ---------------------------------------------------------------------------------------------
stack_docker_available() {
  command -v docker >/dev/null 2>&1 || return 1
  docker info >/dev/null 2>&1 || return 1
  if docker compose version >/dev/null 2>&1; then
    STACK_COMPOSE=(docker compose)
  elif command -v docker-compose >/dev/null 2>&1; then
    STACK_COMPOSE=(docker-compose)
  else
    return 1
  fi
}

stack_docker_require() {
  if ! stack_docker_available; then
    stack_err "Docker isn't available (no running Docker engine or no 'docker compose'): start Docker, or use the native stack without STACK_MODE=docker/--docker."
    return 1
  fi
}

# Extra args are service names, e.g. `stack_docker_up kafka postgres redis` for infra only.
stack_docker_up() { stack_docker_require && (cd "$STACK_ROOT" && "${STACK_COMPOSE[@]}" up -d "$@"); }
stack_docker_down() { stack_docker_require && (cd "$STACK_ROOT" && "${STACK_COMPOSE[@]}" down "$@"); }
stack_docker_status() { stack_docker_require && (cd "$STACK_ROOT" && "${STACK_COMPOSE[@]}" ps "$@"); }
