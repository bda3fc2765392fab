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
