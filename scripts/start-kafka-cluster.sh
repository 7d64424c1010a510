#!/usr/bin/env bash
# Start a three-node Apache Kafka cluster (KRaft; each node a combined broker+controller) on 127.0.0.1,
# for reliability tests: a node can be killed and brought back with scripts/kafka-cluster-fault.sh.
# Same jars as scripts/start-kafka.sh (Maven Central, org.apache.kafka:kafka_2.13), one plain JVM per
# node (main class kafka.Kafka). Independent of the single-node broker: other ports, other work dir.
#
# Listeners (loopback only), node N = 1, 2, 3:
#   PLAINTEXT://127.0.0.1:29092, 29093, 29094     clients and replication, no authentication
#   CONTROLLER://127.0.0.1:29192, 29193, 29194    KRaft controller quorum (static voters 1, 2, 3)
#
# Cluster: replication factor 3, min.insync.replicas 2 (also for __consumer_offsets and the transaction
# log), 3 partitions per topic, no automatic topic creation (tests create their topics), no initial
# rebalance delay, no unclean leader election. A killed node is fenced after broker.session.timeout.ms
# without a heartbeat (3 s here, Kafka's default is 9 s); until then its partitions have no live leader
# and, with acks=all, the other partitions wait for it too (it is still in their ISR): publishing and
# consuming stall on every partition for about that long. See scripts/README.md for measured failover
# times and why 3 s is still safe.
#
# Idempotent: running nodes with the same configuration are reused; nodes that are down (killed by a
# fault test) are started again on their data. Every node's data dir records the configuration it was
# formatted with (data.fingerprint); when it differs (version, ports, broker settings), the running nodes
# are stopped and all three data dirs are wiped and formatted again with a new cluster id.
# Ready when every node logged "Kafka Server started", its port accepts TCP, and the cluster metadata
# lists all three brokers (BrokerApiVersionsCommand).
#
# Env (all optional):
#   KAFKA_VERSION=4.4.0                          org.apache.kafka:kafka_2.13 version
#   KAFKA_CLUSTER_PORT=29092                     client port of node 1; node N uses +N-1
#   KAFKA_CLUSTER_CONTROLLER_PORT=29192          controller port of node 1; node N uses +N-1
#   KAFKA_CLUSTER_DIR=/tmp/switchboard-brokers/kafka-cluster   jars, log4j2 config, tools.log, and
#                                                node-N/ (server.properties, data/, logs/server.log, pid)
#   KAFKA_CLUSTER_HEAP="-Xms192m -Xmx384m"       heap of each node
#   KAFKA_CLUSTER_SESSION_TIMEOUT_MS=3000        broker.session.timeout.ms (Kafka: 9000): a node without
#                                                heartbeat for this long is fenced (leaderships move, ISRs
#                                                shrink); this bounds the stall after a node dies
#   KAFKA_CLUSTER_HEARTBEAT_MS=500               broker.heartbeat.interval.ms (Kafka: 2000)
#   KAFKA_CLUSTER_QUORUM_FETCH_TIMEOUT_MS=2000   controller.quorum.fetch.timeout.ms (Kafka's default): the
#                                                other controllers elect a new active one after this long
#                                                without hearing from it; adds to the stall when it died
#   KAFKA_CLUSTER_START_TIMEOUT=120              seconds to wait for readiness
#   JAVA=java
#   MVN=                                         Maven used to resolve the jars; default: mvn, else ./mvnw
#
# stdout: exactly one line, KAFKA_CLUSTER_BOOTSTRAP=127.0.0.1:29092,127.0.0.1:29093,127.0.0.1:29094.
# Everything else goes to stderr. Stop with scripts/stop-kafka-cluster.sh [--wipe].
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { echo "[start-kafka-cluster] $*" >&2; }
die() { echo "[start-kafka-cluster] ERROR: $*" >&2; exit 1; }
# shellcheck source=lib/kafka-cluster.sh
. "$SCRIPT_DIR/lib/kafka-cluster.sh"

KAFKA_CLUSTER_SESSION_TIMEOUT_MS="${KAFKA_CLUSTER_SESSION_TIMEOUT_MS:-3000}"
KAFKA_CLUSTER_HEARTBEAT_MS="${KAFKA_CLUSTER_HEARTBEAT_MS:-500}"
KAFKA_CLUSTER_QUORUM_FETCH_TIMEOUT_MS="${KAFKA_CLUSTER_QUORUM_FETCH_TIMEOUT_MS:-2000}"

# ---- checks -------------------------------------------------------------------------------------
for v in "$KAFKA_CLUSTER_SESSION_TIMEOUT_MS" "$KAFKA_CLUSTER_HEARTBEAT_MS" "$KAFKA_CLUSTER_QUORUM_FETCH_TIMEOUT_MS" \
    "$KAFKA_CLUSTER_START_TIMEOUT"; do
  [[ "$v" =~ ^[0-9]+$ ]] || die "'$v' is not a number"
done
[ "$KAFKA_CLUSTER_HEARTBEAT_MS" -ge 100 ] && [ $(( KAFKA_CLUSTER_HEARTBEAT_MS * 3 )) -le "$KAFKA_CLUSTER_SESSION_TIMEOUT_MS" ] \
  || die "KAFKA_CLUSTER_HEARTBEAT_MS must be at least 100 and at most a third of KAFKA_CLUSTER_SESSION_TIMEOUT_MS"
[ "$KAFKA_CLUSTER_QUORUM_FETCH_TIMEOUT_MS" -ge 500 ] || die "KAFKA_CLUSTER_QUORUM_FETCH_TIMEOUT_MS must be at least 500"
all_ports=""
for n in $KAFKA_CLUSTER_NODES; do all_ports="$all_ports $(node_port "$n") $(node_controller_port "$n")"; done
[ "$(printf '%s\n' $all_ports | sort -u | wc -l)" -eq 6 ] \
  || die "the client ports (KAFKA_CLUSTER_PORT+0..2) and controller ports (KAFKA_CLUSTER_CONTROLLER_PORT+0..2) overlap"
mkdir -p "$KAFKA_CLUSTER_DIR"

# One start at a time per KAFKA_CLUSTER_DIR (also taken by kafka-cluster-fault.sh start).
exec 9> "$KAFKA_CLUSTER_DIR/start.lock"
flock -w "$KAFKA_CLUSTER_START_TIMEOUT" 9 || die "another start holds $KAFKA_CLUSTER_DIR/start.lock"

# ---- desired configuration and its fingerprint --------------------------------------------------
voters=""
for n in $KAFKA_CLUSTER_NODES; do voters="${voters:+$voters,}$n@127.0.0.1:$(node_controller_port "$n")"; done
node_properties() {
  local n="$1"
  cat <<EOF
process.roles=broker,controller
node.id=$n
controller.quorum.voters=$voters
listeners=PLAINTEXT://127.0.0.1:$(node_port "$n"),CONTROLLER://127.0.0.1:$(node_controller_port "$n")
advertised.listeners=PLAINTEXT://127.0.0.1:$(node_port "$n")
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$(node_dir "$n")/data
num.partitions=3
auto.create.topics.enable=false
delete.topic.enable=true
default.replication.factor=3
min.insync.replicas=2
unclean.leader.election.enable=false
offsets.topic.replication.factor=3
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
transaction.state.log.num.partitions=3
share.coordinator.state.topic.replication.factor=3
share.coordinator.state.topic.min.isr=2
group.initial.rebalance.delay.ms=0
broker.session.timeout.ms=$KAFKA_CLUSTER_SESSION_TIMEOUT_MS
broker.heartbeat.interval.ms=$KAFKA_CLUSTER_HEARTBEAT_MS
controller.quorum.fetch.timeout.ms=$KAFKA_CLUSTER_QUORUM_FETCH_TIMEOUT_MS
EOF
}
FINGERPRINT="$(
  echo "kafka.version=$KAFKA_VERSION"
  echo "ports=$all_ports"
  for n in $KAFKA_CLUSTER_NODES; do
    echo "node-$n.server.properties.sha256=$(node_properties "$n" | sha256sum | cut -c1-16)"
  done
)"
node_fingerprint() { cat "$(node_dir "$1")/data.fingerprint" 2>/dev/null || true; }
node_formatted() { [ -f "$(node_dir "$1")/data/meta.properties" ] && [ "$(node_fingerprint "$1")" = "$FINGERPRINT" ]; }

# ---- what runs already? -------------------------------------------------------------------------
running=""; stale=0
for n in $KAFKA_CLUSTER_NODES; do
  if node_pid "$n" >/dev/null; then running="$running $n"; fi
  node_formatted "$n" || stale=1
done
if [ "$stale" -eq 1 ] && [ -n "$running" ]; then
  # Before stopping them: a port the running nodes do not hold must be free.
  old_ports=" $(sed -n 's/^ports= *//p' "$(node_dir 1)/data.fingerprint" 2>/dev/null) "
  for p in $all_ports; do
    case "$old_ports" in *" $p "*) continue ;; esac
    port_open "$p" && die "port $p on 127.0.0.1 is in use by another process (see: ss -ltnp 'sport = :$p'); the running nodes were left alone"
  done
  log "the running node(s)$running have another configuration (or a node's data is missing): stopping them"
  KAFKA_CLUSTER_DIR="$KAFKA_CLUSTER_DIR" KAFKA_CLUSTER_STOP_TIMEOUT="$KAFKA_CLUSTER_STOP_TIMEOUT" \
    bash "$SCRIPT_DIR/stop-kafka-cluster.sh" 9>&-
  running=""
fi
to_start=""
for n in $KAFKA_CLUSTER_NODES; do
  case " $running " in *" $n "*) continue ;; esac
  to_start="$to_start $n"
  for p in "$(node_port "$n")" "$(node_controller_port "$n")"; do
    port_open "$p" && die "port $p on 127.0.0.1 is in use by another process (see: ss -ltnp 'sport = :$p')"
  done
done

# ---- tools and jars -------------------------------------------------------------------------------
kafka_require_java
kafka_resolve_classpath "$KAFKA_CLUSTER_DIR/deps-$KAFKA_VERSION"

# ---- configs and storage --------------------------------------------------------------------------
kafka_write_log4j2 "$KAFKA_CLUSTER_DIR/log4j2.properties"
write_tools_log4j2
if [ "$stale" -eq 1 ]; then
  cluster_id="$(kafka_new_cluster_id)"
  log "formatting the three data dirs (cluster id $cluster_id)"
  format_pids=""
  for n in $KAFKA_CLUSTER_NODES; do   # the three formats in parallel (one JVM each)
    nd="$(node_dir "$n")"
    rm -rf "$nd/data" "$nd/data.fingerprint"
    mkdir -p "$nd/logs"
    node_properties "$n" > "$nd/server.properties"
    "$JAVA" -Dlog4j2.configurationFile="$KAFKA_CLUSTER_DIR/log4j2.properties" -Dkafka.logs.dir="$nd/logs" \
      -cp "$KAFKA_CP" kafka.tools.StorageTool format -t "$cluster_id" -c "$nd/server.properties" \
      > "$nd/logs/format.log" 2>&1 9>&- &
    format_pids="$format_pids $n:$!"
  done
  for entry in $format_pids; do
    n="${entry%%:*}"; nd="$(node_dir "$n")"
    if ! wait "${entry#*:}"; then
      tail -30 "$nd/logs/format.log" >&2
      die "storage format failed for node $n (log: $nd/logs/format.log)"
    fi
    printf '%s\n' "$FINGERPRINT" > "$nd/data.fingerprint"
  done
fi

# ---- launch and wait ------------------------------------------------------------------------------
t0=$(date +%s%3N)
deadline=$(( $(date +%s) + KAFKA_CLUSTER_START_TIMEOUT ))
if [ -n "$to_start" ]; then
  for n in $to_start; do
    node_properties "$n" > "$(node_dir "$n")/server.properties"
    launch_node "$n"
  done
  log "waiting up to ${KAFKA_CLUSTER_START_TIMEOUT}s for node(s)$to_start"
fi
[ -z "$running" ] || log "reusing the running node(s)$running"
for n in $KAFKA_CLUSTER_NODES; do wait_node_started "$n" "$deadline"; done
wait_registered "$deadline" "$KAFKA_CLUSTER_NODES"
pids=""
for n in $KAFKA_CLUSTER_NODES; do pids="$pids $(node_pid "$n" || echo '?')"; done
log "ready in $(( $(date +%s%3N) - t0 )) ms: 3 brokers registered (pids$pids, logs in $KAFKA_CLUSTER_DIR/node-*/logs)"
echo "KAFKA_CLUSTER_BOOTSTRAP=$(cluster_bootstrap)"
