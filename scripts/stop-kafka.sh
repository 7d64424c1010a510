#!/usr/bin/env bash
# Stop the Kafka broker started by scripts/start-kafka.sh: SIGTERM to its pid (controlled shutdown),
# SIGKILL after KAFKA_STOP_TIMEOUT seconds. Idempotent: nothing running is not an error.
#
# Env (all optional):
#   KAFKA_DIR=/tmp/switchboard-brokers/kafka   the work dir start-kafka.sh used
#   KAFKA_STOP_TIMEOUT=30   seconds to wait after SIGTERM before SIGKILL
#   KAFKA_KILL=1            SIGKILL at once (a crash instead of a controlled shutdown)
#   KAFKA_WIPE=1            also delete the data (topics, offsets, SCRAM user); the next start formats again
set -euo pipefail

KAFKA_DIR="${KAFKA_DIR:-/tmp/switchboard-brokers/kafka}"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
PID_FILE="$KAFKA_DIR/kafka.pid"

log() { echo "[stop-kafka] $*" >&2; }

# Wait (bounded) for a pid to exit; returns 1 if it is still alive after $2 seconds.
wait_exit() {
  local pid="$1" deadline=$(( $(date +%s) + $2 ))
  while kill -0 "$pid" 2>/dev/null; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

pid=""
[ -f "$PID_FILE" ] && pid="$(cat "$PID_FILE")"
if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
  log "no running Kafka broker under $KAFKA_DIR"
elif ! tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF "kafka.Kafka $KAFKA_DIR/server.properties"; then
  log "pid $pid from $PID_FILE is not our Kafka broker (stale pid file): leaving it alone"
else
  t0=$(date +%s)
  if [ "${KAFKA_KILL:-0}" = "1" ]; then
    kill -KILL "$pid" 2>/dev/null || true
  else
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_exit "$pid" "$KAFKA_STOP_TIMEOUT"; then
      log "pid $pid did not stop within ${KAFKA_STOP_TIMEOUT}s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  wait_exit "$pid" 10 || { log "ERROR: pid $pid is still alive after SIGKILL"; exit 1; }
  log "stopped pid $pid in $(( $(date +%s) - t0 ))s"
fi
rm -f "$PID_FILE"

if [ "${KAFKA_WIPE:-0}" = "1" ]; then
  rm -rf "$KAFKA_DIR/data" "$KAFKA_DIR/data.fingerprint"
  log "wiped the data under $KAFKA_DIR"
fi
