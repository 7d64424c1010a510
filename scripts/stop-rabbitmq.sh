#!/usr/bin/env bash
# Stop the local RabbitMQ node (rabbit@localhost) that start-rabbitmq.sh starts or reuses. Idempotent:
# nothing running is not an error. For humans: tests and CI leave the broker running (and other test
# runs on this machine may be using it).
#
#   default: graceful `rabbitmqctl shutdown` (waits for the VM to exit, ~3.5 s), SIGTERM then SIGKILL
#            after RABBITMQ_STOP_TIMEOUT (30 s)
#   RABBITMQ_KILL=1       SIGKILL the node's beam.smp at once (a crash)
#   RABBITMQ_KEEP_EPMD=1  leave the Erlang port mapper (epmd, 127.0.0.1:4369) running
#   RABBITMQ_WIPE=1       also delete the node's data (queues, messages, users)
# The TLS material (RABBITMQ_TLS_DIR) and /etc/rabbitmq are kept.
set -euo pipefail
NODE=rabbit@localhost
PIDFILE=/var/lib/rabbitmq/mnesia/$NODE.pid
RABBITMQ_STOP_TIMEOUT="${RABBITMQ_STOP_TIMEOUT:-30}"
export PATH="/usr/sbin:/usr/bin:$PATH"
log() { echo "[stop-rabbitmq] $*" >&2; }
die() { echo "[stop-rabbitmq] ERROR: $*" >&2; exit 1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

[ "$(id -u)" = 0 ] || die "run as root"
[[ "$RABBITMQ_STOP_TIMEOUT" =~ ^[0-9]+$ ]] || die "RABBITMQ_STOP_TIMEOUT must be a number of seconds"
if ! command -v rabbitmqctl >/dev/null 2>&1; then
  log "rabbitmq-server is not installed: nothing to stop"
  exit 0
fi

t0=$(date +%s%3N)
pid=""
[ -f "$PIDFILE" ] && pid="$(tr -dc '0-9' < "$PIDFILE")"
if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
  if [ "${RABBITMQ_KILL:-0}" = 1 ]; then
    kill -KILL "$pid"; log "killed pid $pid (SIGKILL)"
  else
    timeout "$RABBITMQ_STOP_TIMEOUT" rabbitmqctl -q shutdown >/dev/null 2>&1 || {
      log "rabbitmqctl shutdown failed or timed out: SIGTERM pid $pid"; kill -TERM "$pid" 2>/dev/null || true; }
  fi
  for _ in $(seq 1 $((RABBITMQ_STOP_TIMEOUT * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; log "SIGKILL pid $pid"; sleep 0.5; fi
  log "stopped node $NODE (pid $pid) in $(( $(date +%s%3N) - t0 )) ms"
elif timeout 10 rabbitmqctl -q eval 'ok.' >/dev/null 2>&1; then
  # running without (or with a stale) pid file: rabbitmqctl still reaches it by name
  timeout "$RABBITMQ_STOP_TIMEOUT" rabbitmqctl -q shutdown >/dev/null 2>&1 || die "rabbitmqctl shutdown of $NODE failed"
  log "stopped node $NODE (no pid file) in $(( $(date +%s%3N) - t0 )) ms"
else
  log "no running node found ($PIDFILE)"
fi
rm -f "$PIDFILE"
port_open 5672 && log "WARNING: 127.0.0.1:5672 still accepts connections (another broker, not $NODE?)"
# epmd is started by the node and outlives it; `epmd -kill` is its own stop command (only when no
# Erlang node is registered with it any more)
if [ "${RABBITMQ_KEEP_EPMD:-0}" != 1 ] && command -v epmd >/dev/null 2>&1; then
  if ! epmd -names 2>/dev/null | grep -q "^name "; then epmd -kill >/dev/null 2>&1 || true; fi
fi
if [ "${RABBITMQ_WIPE:-0}" = 1 ]; then
  rm -rf /var/lib/rabbitmq/mnesia/"$NODE" /var/lib/rabbitmq/mnesia/"$NODE"-*
  log "wiped the node's data"
fi
exit 0
