#!/usr/bin/env bash
# Stop the three-node Kafka cluster started by scripts/start-kafka-cluster.sh: SIGTERM to every running
# node at once (controlled shutdown), SIGKILL to any still alive after KAFKA_CLUSTER_STOP_TIMEOUT seconds.
# Idempotent: nodes that are not running (or a cluster that never ran) are not an error.
#
#   bash scripts/stop-kafka-cluster.sh          # stop; the data (topics, offsets) is kept for the next start
#   bash scripts/stop-kafka-cluster.sh --wipe   # stop and delete the three data dirs; the next start formats
#
# Env (all optional):
#   KAFKA_CLUSTER_DIR=/tmp/switchboard-brokers/kafka-cluster   the work dir start-kafka-cluster.sh used
#   KAFKA_CLUSTER_STOP_TIMEOUT=30   seconds to wait after SIGTERM before SIGKILL
# stdout stays empty; messages go to stderr.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { echo "[stop-kafka-cluster] $*" >&2; }
die() { echo "[stop-kafka-cluster] ERROR: $*" >&2; exit 1; }
# shellcheck source=lib/kafka-cluster.sh
. "$SCRIPT_DIR/lib/kafka-cluster.sh"

wipe=0
case "${1:-}" in
  "") ;;
  --wipe) wipe=1 ;;
  *) echo "usage: $0 [--wipe]" >&2; exit 2 ;;
esac

t0=$(date +%s%3N)
stopping=""
for n in $KAFKA_CLUSTER_NODES; do
  nd="$(node_dir "$n")"
  if pid="$(node_pid "$n")"; then
    kill -TERM "$pid" 2>/dev/null || true
    stopping="$stopping $n:$pid"
  else
    [ -f "$nd/kafka.pid" ] && log "node $n: pid file without our running node (stale): removed"
    rm -f "$nd/kafka.pid"
  fi
done
if [ -z "$stopping" ]; then
  log "no running node under $KAFKA_CLUSTER_DIR"
else
  failed=0
  for entry in $stopping; do
    n="${entry%%:*}"; pid="${entry#*:}"
    # one deadline for all: they were signalled together
    left=$(( KAFKA_CLUSTER_STOP_TIMEOUT - ($(date +%s%3N) - t0) / 1000 ))
    if ! wait_exit "$pid" "$(( left > 0 ? left : 0 ))"; then
      log "node $n (pid $pid) did not stop within ${KAFKA_CLUSTER_STOP_TIMEOUT}s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      wait_exit "$pid" 10 || { log "ERROR: node $n (pid $pid) is still alive after SIGKILL"; failed=1; continue; }
    fi
    rm -f "$(node_dir "$n")/kafka.pid"
  done
  [ "$failed" -eq 0 ] || exit 1
  log "stopped node(s)$(printf ' %s' $stopping | sed 's/:[0-9]*//g') in $(( $(date +%s%3N) - t0 )) ms"
fi

if [ "$wipe" -eq 1 ]; then
  for n in $KAFKA_CLUSTER_NODES; do
    rm -rf "$(node_dir "$n")/data" "$(node_dir "$n")/data.fingerprint"
  done
  log "wiped the data of the three nodes under $KAFKA_CLUSTER_DIR"
fi
