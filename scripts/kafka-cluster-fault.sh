#!/usr/bin/env bash
# Fault injection on the three-node Kafka cluster of scripts/start-kafka-cluster.sh, for reliability tests
# (run through ProcessBuilder or by hand). Node N is 1, 2 or 3 (client port KAFKA_CLUSTER_PORT+N-1).
#
#   bash scripts/kafka-cluster-fault.sh kill N          # kill -9 node N (a crash: no controlled shutdown);
#                                                       # returns once the process is gone (~0.05 s)
#   bash scripts/kafka-cluster-fault.sh start N         # start node N again on its data, wait until the
#                                                       # cluster metadata lists it again and no partition
#                                                       # is under-replicated (it is back in every ISR)
#   bash scripts/kafka-cluster-fault.sh leader TOPIC P  # stdout: the node id leading partition P of TOPIC
#   bash scripts/kafka-cluster-fault.sh controller      # stdout: the node id of the active KRaft controller
#   bash scripts/kafka-cluster-fault.sh pid N           # stdout: the pid of node N
#
# kill and start print how long they took on stderr; their stdout stays empty. leader, controller and pid
# print one number on stdout. Every action exits non-zero on failure: kill and pid when node N is not
# running, start when it does not rejoin within KAFKA_CLUSTER_START_TIMEOUT, leader when the partition
# has no leader (none is elected yet) or does not exist. `start` of a running node only waits.
# leader and controller ask the cluster with the Kafka command-line tools (one short JVM, ~1 s).
#
# Env: KAFKA_CLUSTER_DIR, KAFKA_CLUSTER_PORT, KAFKA_CLUSTER_CONTROLLER_PORT, KAFKA_CLUSTER_HEAP,
# KAFKA_CLUSTER_START_TIMEOUT (120 s), KAFKA_VERSION, JAVA, MVN: as for start-kafka-cluster.sh (the
# same values it was started with). A node started here runs with the server.properties that
# start-kafka-cluster.sh wrote.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { echo "[kafka-cluster-fault] $*" >&2; }
die() { echo "[kafka-cluster-fault] ERROR: $*" >&2; exit 1; }
# shellcheck source=lib/kafka-cluster.sh
. "$SCRIPT_DIR/lib/kafka-cluster.sh"

usage() { echo "usage: $0 kill N | start N | leader TOPIC PARTITION | controller | pid N   (N = 1, 2, 3)" >&2; exit 2; }
[ $# -ge 1 ] || usage
action="$1"; shift
case "$action" in
  kill|start|pid) [ $# -eq 1 ] || usage; check_node_arg "$1" ;;
  leader) [ $# -eq 2 ] || usage; [[ "$2" =~ ^[0-9]+$ ]] || die "partition '$2' is not a number" ;;
  controller) [ $# -eq 0 ] || usage ;;
  *) usage ;;
esac
[ -d "$KAFKA_CLUSTER_DIR/node-1" ] || die "no cluster under $KAFKA_CLUSTER_DIR (run scripts/start-kafka-cluster.sh)"
t0=$(date +%s%3N)

# The jars, for the tools and for start (cached by start-kafka-cluster.sh; resolved again only if gone).
need_classpath() {
  kafka_require_java
  kafka_resolve_classpath "$KAFKA_CLUSTER_DIR/deps-$KAFKA_VERSION"
  [ -f "$KAFKA_CLUSTER_DIR/tools-log4j2.properties" ] || write_tools_log4j2
}

case "$action" in
  pid)
    node_pid "$1" || die "node $1 is not running"
    ;;

  kill)
    n="$1"
    pid="$(node_pid "$n")" || die "node $n is not running"
    kill -KILL "$pid"
    wait_exit "$pid" 10 || die "node $n (pid $pid) is still alive 10 s after SIGKILL"
    rm -f "$(node_dir "$n")/kafka.pid"
    log "killed node $n (pid $pid) in $(( $(date +%s%3N) - t0 )) ms"
    ;;

  start)
    n="$1"; nd="$(node_dir "$n")"
    [ -f "$nd/data/meta.properties" ] && [ -f "$nd/server.properties" ] \
      || die "node $n has no formatted data under $nd (run scripts/start-kafka-cluster.sh)"
    need_classpath
    # the same lock as start-kafka-cluster.sh: never two launches of one node
    exec 9> "$KAFKA_CLUSTER_DIR/start.lock"
    flock -w "$KAFKA_CLUSTER_START_TIMEOUT" 9 || die "another start holds $KAFKA_CLUSTER_DIR/start.lock"
    deadline=$(( $(date +%s) + KAFKA_CLUSTER_START_TIMEOUT ))
    if pid="$(node_pid "$n")"; then
      log "node $n runs already (pid $pid): waiting until it is registered"
    else
      for p in "$(node_port "$n")" "$(node_controller_port "$n")"; do
        port_open "$p" && die "port $p on 127.0.0.1 is in use by another process (see: ss -ltnp 'sport = :$p')"
      done
      launch_node "$n"
    fi
    wait_node_started "$n" "$deadline"
    t_started=$(date +%s%3N)
    wait_registered "$deadline" "$n"
    t_registered=$(date +%s%3N)
    # back in every ISR: no under-replicated partition left (the other nodes must be up for this)
    while :; do
      urp="$(kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$(cluster_bootstrap)" \
        --describe --under-replicated-partitions)" && [ -z "$urp" ] && break
      if [ "$(date +%s)" -ge "$deadline" ]; then
        printf '%s\n' "$urp" | head -10 >&2
        die "node $n is registered, but partitions are still under-replicated after ${KAFKA_CLUSTER_START_TIMEOUT}s"
      fi
      sleep 0.5
    done
    log "node $n rejoined in $(( $(date +%s%3N) - t0 )) ms (server started after $(( t_started - t0 )) ms, registered after $(( t_registered - t0 )) ms, then back in every ISR)"
    ;;

  leader)
    topic="$1"; partition="$2"
    need_classpath
    out="$(kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$(cluster_bootstrap)" --describe --topic "$topic")" \
      || die "could not describe topic $topic (see $KAFKA_CLUSTER_DIR/tools.log)"
    leader="$(printf '%s\n' "$out" | awk -F'\t' -v p="Partition: $partition" '
      { for (i = 1; i <= NF; i++) if ($i == p) found = 1
        if (found) { for (i = 1; i <= NF; i++) if ($i ~ /^Leader: /) { sub(/^Leader: /, "", $i); print $i }; exit } }')"
    [ -n "$leader" ] || die "topic $topic has no partition $partition"
    [[ "$leader" =~ ^[0-9]+$ ]] || die "partition $topic-$partition has no leader (Leader: $leader)"
    echo "$leader"
    ;;

  controller)
    need_classpath
    out="$(kafka_tool org.apache.kafka.tools.MetadataQuorumCommand --bootstrap-server "$(cluster_bootstrap)" describe --status)" \
      || die "could not describe the metadata quorum (see $KAFKA_CLUSTER_DIR/tools.log)"
    leader="$(printf '%s\n' "$out" | sed -n 's/^LeaderId:[[:space:]]*//p')"
    [[ "$leader" =~ ^[0-9]+$ ]] || die "no active controller (LeaderId: ${leader:-?})"
    echo "$leader"
    ;;
esac
