#!/usr/bin/env bash
# Stop the three-node Kafka cluster started by scripts/start-kafka-cluster.sh: SIGTERM to every running
# node at once (controlled shutdown), SIGKILL to any still alive after KAFKA_CLUSTER_STOP_TIMEOUT seconds,
# and to a last node left alone (see KAFKA_CLUSTER_STOP_ALONE_GRACE). Idempotent: nodes that are not
# running (or a cluster that never ran) are not an error.
#
#   bash scripts/stop-kafka-cluster.sh          # stop; the data (topics, offsets) is kept for the next start
#   bash scripts/stop-kafka-cluster.sh --wipe   # stop and delete the three data dirs; the next start formats
#
# Env (all optional):
#   KAFKA_CLUSTER_DIR=/tmp/switchboard-brokers/kafka-cluster   the work dir start-kafka-cluster.sh used
#   KAFKA_CLUSTER_STOP_TIMEOUT=30   seconds to wait after SIGTERM before SIGKILL
#   KAFKA_CLUSTER_STOP_ALONE_GRACE=5   seconds a node may go on running once the other two have exited
#                                   (it has no controller quorum to grant its controlled shutdown): SIGKILL
# stdout stays empty; messages go to stderr.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { echo "[stop-kafka-cluster] $*" >&2; }
die() { echo "[stop-kafka-cluster] ERROR: $*" >&2; exit 1; }
# shellcheck source=lib/kafka-cluster.sh
. "$SCRIPT_DIR/lib/kafka-cluster.sh"

KAFKA_CLUSTER_STOP_ALONE_GRACE="${KAFKA_CLUSTER_STOP_ALONE_GRACE:-5}"
for v in "$KAFKA_CLUSTER_STOP_TIMEOUT" "$KAFKA_CLUSTER_STOP_ALONE_GRACE"; do
  [[ "$v" =~ ^[0-9]+$ ]] || die "'$v' is not a number of seconds"
done
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
  # Wait for all of them (one deadline: they were signalled together). A node's controlled shutdown needs
  # the controller quorum (2 of the 3 nodes) to grant it: a node left alone, once the other two have
  # exited, waits for a grant that cannot come (Kafka gives up after 5 minutes). It gets SIGKILL after
  # KAFKA_CLUSTER_STOP_ALONE_GRACE seconds alone; its next start recovers its logs.
  alone_since=""
  while :; do
    alive_now=""
    for entry in $stopping; do alive "${entry#*:}" && alive_now="${alive_now:+$alive_now }$entry"; done
    [ -n "$alive_now" ] || break
    now=$(date +%s%3N)
    if [ $(( now - t0 )) -ge $(( KAFKA_CLUSTER_STOP_TIMEOUT * 1000 )) ]; then
      log "node(s)$(printf ' %s' $alive_now | sed 's/:[0-9]*//g') did not stop within ${KAFKA_CLUSTER_STOP_TIMEOUT}s: SIGKILL"
      for entry in $alive_now; do kill -KILL "${entry#*:}" 2>/dev/null || true; done
      break
    fi
    if [ "$(echo $alive_now | wc -w)" -eq 1 ]; then
      alone_since="${alone_since:-$now}"
      if [ $(( now - alone_since )) -ge $(( KAFKA_CLUSTER_STOP_ALONE_GRACE * 1000 )) ]; then
        log "node ${alive_now%%:*} (pid ${alive_now#*:}) is alone without a controller quorum and still running after ${KAFKA_CLUSTER_STOP_ALONE_GRACE}s: SIGKILL"
        kill -KILL "${alive_now#*:}" 2>/dev/null || true
        break
      fi
    fi
    sleep 0.1
  done
  failed=0
  for entry in $stopping; do
    n="${entry%%:*}"; pid="${entry#*:}"
    if wait_exit "$pid" 10; then
      rm -f "$(node_dir "$n")/kafka.pid"
    else
      log "ERROR: node $n (pid $pid) is still alive after SIGKILL"; failed=1
    fi
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
