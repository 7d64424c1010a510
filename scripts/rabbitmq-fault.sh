#!/usr/bin/env bash
# Fault injection on the local RabbitMQ node (rabbit@localhost, see start-rabbitmq.sh), for tests that
# run it through ProcessBuilder:
#
#   bash scripts/rabbitmq-fault.sh close-connections   # rabbitmqctl close_all_connections: every client
#                                                      # connection is closed by the broker (~0.5 s)
#   bash scripts/rabbitmq-fault.sh restart-app         # rabbitmqctl stop_app + start_app; waits until
#                                                      # 127.0.0.1:5672 and :5671 accept again (~2 s)
#   bash scripts/rabbitmq-fault.sh restart-node        # graceful node shutdown + start-rabbitmq.sh (~5 s)
#   bash scripts/rabbitmq-fault.sh stop-app            # rabbitmqctl stop_app: the node stays up, AMQP is refused
#                                                      # until start-app (~1 s)
#   bash scripts/rabbitmq-fault.sh start-app           # rabbitmqctl start_app; waits until 5672 and 5671 accept
#                                                      # again (~1 s)
#
# These hit EVERY client of the node, including other test runs on the same machine.
# Prints how long the action took on stderr; stdout stays empty. Exits non-zero on failure. The broker
# is running afterwards (except after a successful stop-app: the caller runs start-app, in a finally block;
# start-rabbitmq.sh also starts a stopped application): after a failed action the script brings it back with
# start-rabbitmq.sh.
# Env: RABBITMQ_START_TIMEOUT=60, RABBITMQ_STOP_TIMEOUT=30 (seconds), as for start-rabbitmq.sh.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RABBITMQ_START_TIMEOUT="${RABBITMQ_START_TIMEOUT:-60}"
RABBITMQ_STOP_TIMEOUT="${RABBITMQ_STOP_TIMEOUT:-30}"
PORT=5672
TLS_PORT=5671
LOCK_FILE=/tmp/switchboard-brokers/rabbitmq.lock   # same lock as start-rabbitmq.sh
export PATH="/usr/sbin:/usr/bin:$PATH"

log() { echo "[rabbitmq-fault] $*" >&2; }
die() { echo "[rabbitmq-fault] ERROR: $*" >&2; exit 1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
now_ms() { date +%s%3N; }
ctl() { timeout "$RABBITMQ_START_TIMEOUT" rabbitmqctl -q "$@"; }

usage() { echo "usage: $0 close-connections|restart-app|restart-node|stop-app|start-app" >&2; exit 2; }
[ $# -eq 1 ] || usage
action="$1"
case "$action" in close-connections|restart-app|restart-node|stop-app|start-app) ;; *) usage ;; esac
[ "$(id -u)" = 0 ] || die "run as root"
command -v rabbitmqctl >/dev/null 2>&1 || die "rabbitmq-server is not installed (run scripts/start-rabbitmq.sh)"
# start-app follows a stop-app: the port is closed then
[ "$action" = start-app ] || port_open "$PORT" || die "no RabbitMQ on 127.0.0.1:$PORT (run scripts/start-rabbitmq.sh)"

# Serialise with start-rabbitmq.sh and other faults: a concurrent start must not race a restart.
mkdir -p "$(dirname "$LOCK_FILE")"
exec 9> "$LOCK_FILE"
flock -w "$((RABBITMQ_START_TIMEOUT * 2))" 9 || die "another start-rabbitmq.sh / rabbitmq-fault.sh holds $LOCK_FILE"
export RABBITMQ_LOCK_HELD=1   # for the start-rabbitmq.sh run below

# start-rabbitmq.sh, with its stdout (the endpoint lines) dropped: reuses, repairs or starts the node
ensure_running() { bash "$SCRIPT_DIR/start-rabbitmq.sh" >/dev/null 9>&-; }

wait_ports() {
  local deadline=$(( $(date +%s) + RABBITMQ_START_TIMEOUT ))
  until port_open "$PORT" && port_open "$TLS_PORT"; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

failed() {  # after a failed action: report, bring the broker back, exit non-zero
  log "ERROR: $action failed after $(( $(now_ms) - t0 )) ms: $*"
  tail -15 /var/log/rabbitmq/rabbit@localhost.log >&2 2>/dev/null || true
  log "bringing the broker back with start-rabbitmq.sh"
  ensure_running || log "ERROR: start-rabbitmq.sh could not bring the broker back"
  exit 1
}

t0=$(now_ms)
case "$action" in
  close-connections)
    n="$(ctl list_connections --no-table-headers pid 2>/dev/null | grep -c . || true)"
    ctl close_all_connections "switchboard fault test" >/dev/null || failed "rabbitmqctl close_all_connections"
    log "close-connections: closed ${n:-?} connection(s) in $(( $(now_ms) - t0 )) ms"
    ;;
  restart-app)
    ctl stop_app >/dev/null || failed "rabbitmqctl stop_app"
    t1=$(now_ms)
    ctl start_app >/dev/null || failed "rabbitmqctl start_app"
    wait_ports || failed "127.0.0.1:$PORT / :$TLS_PORT not accepting ${RABBITMQ_START_TIMEOUT}s after start_app"
    log "restart-app: took $(( $(now_ms) - t0 )) ms (stop_app $(( t1 - t0 )) ms, start_app + listeners $(( $(now_ms) - t1 )) ms)"
    ;;
  stop-app)
    ctl stop_app >/dev/null || failed "rabbitmqctl stop_app"
    log "stop-app: took $(( $(now_ms) - t0 )) ms; AMQP is refused until start-app"
    ;;
  start-app)
    ctl start_app >/dev/null || failed "rabbitmqctl start_app"
    wait_ports || failed "127.0.0.1:$PORT / :$TLS_PORT not accepting ${RABBITMQ_START_TIMEOUT}s after start_app"
    log "start-app: took $(( $(now_ms) - t0 )) ms"
    ;;
  restart-node)
    RABBITMQ_KEEP_EPMD=1 RABBITMQ_STOP_TIMEOUT="$RABBITMQ_STOP_TIMEOUT" bash "$SCRIPT_DIR/stop-rabbitmq.sh" 9>&- \
      || failed "stop-rabbitmq.sh"
    t1=$(now_ms)
    ensure_running || failed "start-rabbitmq.sh"
    log "restart-node: took $(( $(now_ms) - t0 )) ms (stop $(( t1 - t0 )) ms, start $(( $(now_ms) - t1 )) ms)"
    ;;
esac
