#!/usr/bin/env bash
# Stop the SNS + SQS emulator (fauxqs) started by scripts/start-sns-sqs.sh: SIGTERM to its pid,
# SIGKILL after SNS_SQS_STOP_TIMEOUT seconds. Idempotent: nothing running is not an error.
# State is in memory: stopping it drops every queue, topic and message.
#
# Env (all optional):
#   SNS_SQS_DIR=/tmp/switchboard-brokers/sns-sqs   the work dir start-sns-sqs.sh used
#   SNS_SQS_STOP_TIMEOUT=10   seconds to wait after SIGTERM before SIGKILL
set -euo pipefail

SNS_SQS_DIR="${SNS_SQS_DIR:-/tmp/switchboard-brokers/sns-sqs}"
SNS_SQS_STOP_TIMEOUT="${SNS_SQS_STOP_TIMEOUT:-10}"
PID_FILE="$SNS_SQS_DIR/fauxqs.pid"
LAUNCHER="$SNS_SQS_DIR/app/launch.mjs"

log() { echo "[stop-sns-sqs] $*" >&2; }

# Alive and not a zombie: the emulator runs in its own session (setsid), so once it exits it is
# reparented to pid 1, which may take a second or two to reap it.
alive() {
  kill -0 "$1" 2>/dev/null && [ "$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$1/status" 2>/dev/null)" != "Z" ]
}

# Wait (bounded) for a pid to exit; returns 1 if it is still alive after $2 seconds.
wait_exit() {
  local pid="$1" deadline=$(( $(date +%s) + $2 ))
  while alive "$pid"; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

pid=""
[ -f "$PID_FILE" ] && pid="$(cat "$PID_FILE")"
if [ -z "$pid" ] || ! [[ "$pid" =~ ^[0-9]+$ ]] || ! alive "$pid"; then
  log "no running emulator under $SNS_SQS_DIR"
elif ! tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF "$LAUNCHER"; then
  log "pid $pid from $PID_FILE is not our emulator (stale pid file): leaving it alone"
else
  t0=$(date +%s%3N)
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_exit "$pid" "$SNS_SQS_STOP_TIMEOUT"; then
    log "pid $pid did not stop within ${SNS_SQS_STOP_TIMEOUT}s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait_exit "$pid" 10 || { log "ERROR: pid $pid is still alive after SIGKILL"; exit 1; }
  log "stopped pid $pid in $(( $(date +%s%3N) - t0 )) ms"
fi
rm -f "$PID_FILE" "$SNS_SQS_DIR/running.fingerprint"
