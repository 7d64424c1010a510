#!/usr/bin/env bash
# Fault injection on the local SNS + SQS emulator (fauxqs, see start-sns-sqs.sh), for tests that run it
# through ProcessBuilder:
#
#   bash scripts/sns-sqs-fault.sh freeze   # SIGSTOP: the emulator stops answering; the kernel still accepts
#                                          # connections, requests wait unanswered (~0.01 s)
#   bash scripts/sns-sqs-fault.sh thaw     # SIGCONT: it answers again, the waiting requests first; then
#                                          # waits until GET /health answers (~0.05 s)
#
# A freeze, not a stop: the emulator keeps its state in memory, so a stop and start would empty every queue and
# topic. A frozen emulator hits EVERY client of it, including other test runs on the machine: thaw in a finally
# block (start-sns-sqs.sh also thaws a frozen emulator). Prints how long the action took on stderr; stdout stays
# empty. Exits non-zero on failure, and after a failed action sends SIGCONT anyway.
#
# Env: SNS_SQS_DIR (default /tmp/switchboard-brokers/sns-sqs), SNS_SQS_PORT (4566), SNS_SQS_START_TIMEOUT (30 s),
# as for start-sns-sqs.sh.
set -euo pipefail

SNS_SQS_DIR="${SNS_SQS_DIR:-/tmp/switchboard-brokers/sns-sqs}"
SNS_SQS_PORT="${SNS_SQS_PORT:-4566}"
SNS_SQS_START_TIMEOUT="${SNS_SQS_START_TIMEOUT:-30}"
PID_FILE="$SNS_SQS_DIR/fauxqs.pid"
LAUNCHER="$SNS_SQS_DIR/app/launch.mjs"
HEALTH_URL="http://127.0.0.1:$SNS_SQS_PORT/health"

log() { echo "[sns-sqs-fault] $*" >&2; }
die() { echo "[sns-sqs-fault] ERROR: $*" >&2; exit 1; }
now_ms() { date +%s%3N; }
state() { sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$1/status" 2>/dev/null; }
healthy() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$HEALTH_URL" 2>/dev/null)" = "200" ]; }

usage() { echo "usage: $0 freeze|thaw" >&2; exit 2; }
[ $# -eq 1 ] || usage
action="$1"
case "$action" in freeze|thaw) ;; *) usage ;; esac

# The emulator started from this SNS_SQS_DIR, as start-sns-sqs.sh finds it: the pid file's process, alive, not a
# zombie, running our launcher.
pid=""
[ -f "$PID_FILE" ] && pid="$(cat "$PID_FILE")"
[[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && [ "$(state "$pid")" != "Z" ] \
  || die "no running emulator under $SNS_SQS_DIR (run scripts/start-sns-sqs.sh)"
tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF "$LAUNCHER" \
  || die "pid $pid from $PID_FILE is not our emulator (stale pid file)"

# Waits (bounded) until the process is in state $1 (T: stopped) or, for "running", any other state.
wait_state() {
  local deadline=$(( $(date +%s) + 5 )) s
  while :; do
    s="$(state "$pid")"
    if [ "$1" = T ] && [ "$s" = T ]; then return 0; fi
    if [ "$1" = running ] && [ "$s" != T ] && [ "$s" != t ]; then return 0; fi
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.01
  done
}

t0=$(now_ms)
case "$action" in
  freeze)
    kill -STOP "$pid"
    if ! wait_state T; then
      kill -CONT "$pid" 2>/dev/null || true
      die "pid $pid did not stop after SIGSTOP (state $(state "$pid")); sent SIGCONT"
    fi
    log "freeze: pid $pid stopped in $(( $(now_ms) - t0 )) ms; it answers nothing until thaw"
    ;;
  thaw)
    kill -CONT "$pid"
    wait_state running || die "pid $pid still stopped after SIGCONT"
    deadline=$(( $(date +%s) + SNS_SQS_START_TIMEOUT ))
    until healthy; do
      [ "$(date +%s)" -lt "$deadline" ] || die "pid $pid runs again but $HEALTH_URL does not answer after ${SNS_SQS_START_TIMEOUT}s"
      sleep 0.05
    done
    log "thaw: pid $pid answering again after $(( $(now_ms) - t0 )) ms"
    ;;
esac
