#!/usr/bin/env bash
# Stop the three-node test cluster of start-rabbitmq-cluster.sh (sbc1..3@localhost). Never touches the
# machine's own node rabbit@localhost, nor the shared epmd. Idempotent: nothing running is not an error.
#
#   bash scripts/stop-rabbitmq-cluster.sh          # graceful: `rabbitmqctl shutdown` of the three nodes,
#                                                  # in parallel (~4 s); SIGTERM, then SIGKILL after
#                                                  # RABBITMQ_CLUSTER_STOP_TIMEOUT (30 s)
#   bash scripts/stop-rabbitmq-cluster.sh --wipe   # also deletes the nodes' data, logs and config
#                                                  # (RABBITMQ_CLUSTER_DIR/sbcN); the next start forms a
#                                                  # new, empty cluster
# The nodes keep their cluster membership: the next start-rabbitmq-cluster.sh starts the three together.
# Env: the same RABBITMQ_CLUSTER_* settings as for the start (RABBITMQ_CLUSTER_DIR, _NODE_PREFIX, ...).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { echo "[stop-rabbitmq-cluster] $*" >&2; }
die() { echo "[stop-rabbitmq-cluster] ERROR: $*" >&2; exit 1; }
# shellcheck source=lib/rabbitmq-cluster.sh
. "$SCRIPT_DIR/lib/rabbitmq-cluster.sh"

wipe=0
case "${1:-}" in
  "") ;;
  --wipe) wipe=1 ;;
  *) echo "usage: $0 [--wipe]" >&2; exit 2 ;;
esac
[ $# -le 1 ] || { echo "usage: $0 [--wipe]" >&2; exit 2; }
check_settings

mkdir -p "$(dirname "$CLUSTER_LOCK_FILE")"
if [ "${RABBITMQ_CLUSTER_LOCK_HELD:-0}" != 1 ]; then
  exec 9> "$CLUSTER_LOCK_FILE"
  flock -w "$((RABBITMQ_CLUSTER_STOP_TIMEOUT * 2 + 30))" 9 \
    || die "another start-rabbitmq-cluster.sh / stop-rabbitmq-cluster.sh / rabbitmq-cluster-fault.sh holds $CLUSTER_LOCK_FILE"
fi

t0=$(now_ms)
stopping=()
for n in "${NODE_IDS[@]}"; do
  if node_vm_running "$n"; then
    stopping+=("$(node_name "$n")")
    ( stop_node "$n" ) 9>&- &
  fi
done
wait
for n in "${NODE_IDS[@]}"; do
  if pid="$(node_pid "$n")"; then die "$(node_name "$n") (pid $pid) is still running"; fi
  rm -f "$(pid_file "$n")"
done
if [ "${#stopping[@]}" = 0 ]; then
  log "no cluster node running"
else
  log "stopped ${stopping[*]} in $(( $(now_ms) - t0 )) ms"
fi
for n in "${NODE_IDS[@]}"; do
  port_open "$(amqp_port "$n")" && log "WARNING: 127.0.0.1:$(amqp_port "$n") still accepts connections (not this cluster's node?)"
done

if [ "$wipe" = 1 ]; then
  for n in "${NODE_IDS[@]}"; do rm -rf "$(node_dir "$n")"; done
  log "wiped the nodes' data in $RABBITMQ_CLUSTER_DIR"
fi
exit 0
