#!/usr/bin/env bash
# Start a single-node Apache Kafka broker (KRaft, combined broker+controller) on 127.0.0.1 for the
# tests, without Docker. The broker jars come from Maven Central (org.apache.kafka:kafka_2.13) and run
# as one plain JVM process (main class kafka.Kafka).
#
# Listeners (loopback only):
#   PLAINTEXT://127.0.0.1:9092        clients, no authentication
#   SASL_PLAINTEXT://127.0.0.1:9094   clients, SCRAM-SHA-256 (user switchboard / switchboard-secret)
#   CONTROLLER://127.0.0.1:19093      KRaft controller (internal)
#
# Idempotent: a running broker with the same configuration is reused. The data dir records the
# configuration it was formatted with (data.fingerprint); when that differs (version, ports, SCRAM user,
# broker settings), a running broker is stopped and the data is wiped and formatted again.
#
# Env (all optional):
#   KAFKA_VERSION=4.4.0                  org.apache.kafka:kafka_2.13 version
#   KAFKA_PORT=9092                      PLAINTEXT client port
#   KAFKA_SASL_PORT=9094                 SASL_PLAINTEXT (SCRAM-SHA-256) client port
#   KAFKA_CONTROLLER_PORT=19093          controller port
#   KAFKA_SASL_USER=switchboard          SCRAM user created when the storage is formatted
#   KAFKA_SASL_PASSWORD=switchboard-secret
#   KAFKA_DIR=/tmp/switchboard-brokers/kafka   work dir: deps, configs, data, logs, pid file
#   KAFKA_HEAP="-Xms256m -Xmx512m"
#   KAFKA_START_TIMEOUT=90               seconds to wait for readiness
#   JAVA=java
#   MVN=                                 Maven used to resolve the jars; default: mvn on PATH, else ./mvnw
#
# stdout: exactly two lines, KAFKA_BOOTSTRAP=127.0.0.1:9092 and KAFKA_SASL_BOOTSTRAP=127.0.0.1:9094.
# Everything else goes to stderr. Stop with scripts/stop-kafka.sh.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"

KAFKA_VERSION="${KAFKA_VERSION:-4.4.0}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_SASL_PORT="${KAFKA_SASL_PORT:-9094}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-19093}"
KAFKA_SASL_USER="${KAFKA_SASL_USER:-switchboard}"
KAFKA_SASL_PASSWORD="${KAFKA_SASL_PASSWORD:-switchboard-secret}"
KAFKA_DIR="${KAFKA_DIR:-/tmp/switchboard-brokers/kafka}"
KAFKA_HEAP="${KAFKA_HEAP:--Xms256m -Xmx512m}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
JAVA="${JAVA:-java}"
MVN="${MVN:-}"

log() { echo "[start-kafka] $*" >&2; }
die() { echo "[start-kafka] ERROR: $*" >&2; exit 1; }
# port_open, kafka_require_java, kafka_resolve_classpath, kafka_write_log4j2, kafka_new_cluster_id
# shellcheck source=lib/kafka-common.sh
. "$SCRIPT_DIR/lib/kafka-common.sh"

PID_FILE="$KAFKA_DIR/kafka.pid"
DATA_DIR="$KAFKA_DIR/data"
MARKER="$KAFKA_DIR/data.fingerprint"
LOG_DIR="$KAFKA_DIR/logs"

# The pid of the broker started from this KAFKA_DIR, if it is alive (and not a recycled pid).
broker_pid() {
  local pid
  [ -f "$PID_FILE" ] || return 1
  pid="$(cat "$PID_FILE")"
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF "kafka.Kafka $KAFKA_DIR/server.properties" || return 1
  echo "$pid"
}

emit_endpoints() {
  echo "KAFKA_BOOTSTRAP=127.0.0.1:$KAFKA_PORT"
  echo "KAFKA_SASL_BOOTSTRAP=127.0.0.1:$KAFKA_SASL_PORT"
}

# Wait (bounded) until the broker logged "Kafka Server started" and both client ports accept TCP.
wait_ready() {
  local pid="$1" deadline=$(( $(date +%s) + KAFKA_START_TIMEOUT ))
  until grep -q "Kafka Server started" "$LOG_DIR/server.log" 2>/dev/null \
      && port_open "$KAFKA_PORT" && port_open "$KAFKA_SASL_PORT"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "---- $LOG_DIR/stdout.log (tail) ----" >&2; tail -20 "$LOG_DIR/stdout.log" >&2 || true
      echo "---- $LOG_DIR/server.log (errors) ----" >&2
      grep -E "ERROR|FATAL|Exception" "$LOG_DIR/server.log" | tail -20 >&2 || true
      die "Kafka (pid $pid) exited during startup"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "---- $LOG_DIR/server.log (tail) ----" >&2; tail -30 "$LOG_DIR/server.log" >&2 || true
      die "Kafka not ready after ${KAFKA_START_TIMEOUT}s (still running as pid $pid; stop it with $SCRIPT_DIR/stop-kafka.sh)"
    fi
    sleep 0.2
  done
}

# ---- checks -------------------------------------------------------------------------------------
for p in "$KAFKA_PORT" "$KAFKA_SASL_PORT" "$KAFKA_CONTROLLER_PORT"; do
  [[ "$p" =~ ^[0-9]+$ ]] || die "port '$p' is not a number"
done
[ "$(printf '%s\n' "$KAFKA_PORT" "$KAFKA_SASL_PORT" "$KAFKA_CONTROLLER_PORT" | sort -u | wc -l)" -eq 3 ] \
  || die "KAFKA_PORT, KAFKA_SASL_PORT and KAFKA_CONTROLLER_PORT must differ"
# The StorageTool parses --add-scram 'SCRAM-SHA-256=[name=...,password=...]': keep the values plain.
for v in "$KAFKA_SASL_USER" "$KAFKA_SASL_PASSWORD"; do
  [[ "$v" =~ ^[A-Za-z0-9._@+-]+$ ]] || die "KAFKA_SASL_USER/KAFKA_SASL_PASSWORD may only use [A-Za-z0-9._@+-]"
done
mkdir -p "$KAFKA_DIR" "$LOG_DIR"

# One start at a time per KAFKA_DIR (parallel test runs): the second one waits, then reuses.
exec 9> "$KAFKA_DIR/start.lock"
flock -w "$KAFKA_START_TIMEOUT" 9 || die "another start-kafka.sh holds $KAFKA_DIR/start.lock"

# ---- desired configuration and its fingerprint --------------------------------------------------
SERVER_PROPERTIES="$(cat <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,SASL_PLAINTEXT://127.0.0.1:$KAFKA_SASL_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,SASL_PLAINTEXT://127.0.0.1:$KAFKA_SASL_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-256
listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
log.dirs=$DATA_DIR
num.partitions=3
auto.create.topics.enable=true
delete.topic.enable=true
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=3
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
)"
FINGERPRINT="$(cat <<EOF
kafka.version=$KAFKA_VERSION
port=$KAFKA_PORT
sasl.port=$KAFKA_SASL_PORT
controller.port=$KAFKA_CONTROLLER_PORT
sasl.user=$KAFKA_SASL_USER
sasl.password.sha256=$(printf '%s' "$KAFKA_SASL_PASSWORD" | sha256sum | cut -c1-16)
server.properties.sha256=$(printf '%s' "$SERVER_PROPERTIES" | sha256sum | cut -c1-16)
EOF
)"
current_fingerprint() { cat "$MARKER" 2>/dev/null || true; }

# ---- already running? -----------------------------------------------------------------------------
if pid="$(broker_pid)"; then
  if [ "$(current_fingerprint)" = "$FINGERPRINT" ]; then
    if port_open "$KAFKA_PORT" && port_open "$KAFKA_SASL_PORT"; then
      log "reusing the running broker (pid $pid, logs in $LOG_DIR)"
    else
      log "broker pid $pid is alive but not ready yet: waiting"
      wait_ready "$pid"
    fi
    emit_endpoints
    exit 0
  fi
  # Before stopping it: a new port that the running broker does not hold must be free.
  old_ports=" $(sed -n 's/^\(port\|sasl\.port\|controller\.port\)=//p' "$MARKER" 2>/dev/null | tr '\n' ' ')"
  for p in "$KAFKA_PORT" "$KAFKA_SASL_PORT" "$KAFKA_CONTROLLER_PORT"; do
    case "$old_ports" in *" $p "*) continue ;; esac
    port_open "$p" && die "port $p on 127.0.0.1 is in use by another process (see: ss -ltnp 'sport = :$p'); the running broker was left alone"
  done
  log "the running broker (pid $pid) has another configuration: stopping it"
  KAFKA_DIR="$KAFKA_DIR" bash "$SCRIPT_DIR/stop-kafka.sh"
fi
for p in "$KAFKA_PORT" "$KAFKA_SASL_PORT" "$KAFKA_CONTROLLER_PORT"; do
  port_open "$p" && die "port $p on 127.0.0.1 is in use by another process (see: ss -ltnp 'sport = :$p')"
done

# ---- tools ----------------------------------------------------------------------------------------
kafka_require_java

# ---- broker classpath from Maven Central (cached per version) -------------------------------------
kafka_resolve_classpath "$KAFKA_DIR/deps-$KAFKA_VERSION"
CP="$KAFKA_CP"

# ---- configs and storage --------------------------------------------------------------------------
kafka_write_log4j2 "$KAFKA_DIR/log4j2.properties"
printf '%s\n' "$SERVER_PROPERTIES" > "$KAFKA_DIR/server.properties"

if [ -d "$DATA_DIR" ] && [ "$(current_fingerprint)" != "$FINGERPRINT" ]; then
  log "data dir was formatted with another configuration (or without the SCRAM user): wiping it"
  rm -rf "$DATA_DIR" "$MARKER"
fi
if [ ! -f "$DATA_DIR/meta.properties" ]; then
  rm -rf "$DATA_DIR" "$MARKER"
  cluster_id="$(kafka_new_cluster_id)"
  log "formatting $DATA_DIR (cluster id $cluster_id, SCRAM-SHA-256 user $KAFKA_SASL_USER)"
  if ! "$JAVA" -Dlog4j2.configurationFile="$KAFKA_DIR/log4j2.properties" -Dkafka.logs.dir="$LOG_DIR" \
      -cp "$CP" kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_DIR/server.properties" \
      --add-scram "SCRAM-SHA-256=[name=$KAFKA_SASL_USER,password=$KAFKA_SASL_PASSWORD]" \
      > "$LOG_DIR/format.log" 2>&1; then
    tail -30 "$LOG_DIR/format.log" >&2
    die "storage format failed (log: $LOG_DIR/format.log)"
  fi
  printf '%s\n' "$FINGERPRINT" > "$MARKER"
fi

# ---- launch and wait ------------------------------------------------------------------------------
: > "$LOG_DIR/server.log"
t0=$(date +%s)
# setsid: own session, so the broker outlives the calling shell; a simple command, so $! is java's pid
# shellcheck disable=SC2086
setsid nohup "$JAVA" $KAFKA_HEAP -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
  -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
  -Dlog4j2.configurationFile="$KAFKA_DIR/log4j2.properties" -Dkafka.logs.dir="$LOG_DIR" \
  -cp "$CP" kafka.Kafka "$KAFKA_DIR/server.properties" \
  > "$LOG_DIR/stdout.log" 2>&1 < /dev/null 9>&- &   # 9>&-: the broker must not keep start.lock
pid=$!
echo "$pid" > "$PID_FILE"
log "launched Kafka $KAFKA_VERSION (pid $pid), waiting up to ${KAFKA_START_TIMEOUT}s"
wait_ready "$pid"
log "ready in $(( $(date +%s) - t0 ))s (pid $pid, logs in $LOG_DIR)"
emit_endpoints
