# Node helpers for the npm scripts. Sourced; works before `npm install` has run.

# Installs dependencies when node_modules is missing or older than the lock file.
node_ensure_modules() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "[setup] installing dependencies (npm ci)" >&2
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

# Compiles apps and libs to dist/ (incremental).
node_build() {
  echo "[setup] compiling TypeScript" >&2
  npx tsc -p tsconfig.build.json
}

# Runs a compiled app with the @app/* aliases resolved: node_run <app> [args...]
node_run() {
  local app="$1"
  shift
  node -r ./scripts/register-paths.js "dist/apps/$app/src/main.js" "$@"
}

# Starts a compiled app in the background: node_start <app> [args...]. `$!` is then the pid of
# node itself (not of a subshell running node_run), so `kill "$!"` reaches the app.
node_start() {
  local app="$1"
  shift
  node -r ./scripts/register-paths.js "dist/apps/$app/src/main.js" "$@" &
}

# The local stack: the Kafka broker (scripts/lib/stack-lib.sh, sourced by the caller), then the
# service checks of `cli stack up` (Kafka's group coordinator, PostgreSQL and its database,
# Redis). Needs a build (node_build) first.
stack_up() { stack_kafka_up && node_run cli stack up; }
