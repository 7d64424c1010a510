# Settings and helpers of the three-node Kafka cluster, shared by start-kafka-cluster.sh,
# stop-kafka-cluster.sh and kafka-cluster-fault.sh. Sourced, not run; the caller defines log and die
# and sets SCRIPT_DIR. The env variables are documented in start-kafka-cluster.sh.

# shellcheck source=kafka-common.sh
. "$SCRIPT_DIR/lib/kafka-common.sh"

REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
KAFKA_VERSION="${KAFKA_VERSION:-4.4.0}"
KAFKA_CLUSTER_PORT="${KAFKA_CLUSTER_PORT:-29092}"                       # node N: +N-1
KAFKA_CLUSTER_CONTROLLER_PORT="${KAFKA_CLUSTER_CONTROLLER_PORT:-29192}" # node N: +N-1
KAFKA_CLUSTER_DIR="${KAFKA_CLUSTER_DIR:-/tmp/switchboard-brokers/kafka-cluster}"
KAFKA_CLUSTER_HEAP="${KAFKA_CLUSTER_HEAP:--Xms192m -Xmx384m}"
KAFKA_CLUSTER_START_TIMEOUT="${KAFKA_CLUSTER_START_TIMEOUT:-120}"
KAFKA_CLUSTER_STOP_TIMEOUT="${KAFKA_CLUSTER_STOP_TIMEOUT:-30}"
JAVA="${JAVA:-java}"
MVN="${MVN:-}"
KAFKA_CLUSTER_NODES="1 2 3"

for _p in "$KAFKA_CLUSTER_PORT" "$KAFKA_CLUSTER_CONTROLLER_PORT"; do
  [[ "$_p" =~ ^[0-9]+$ ]] && [ "$_p" -ge 1 ] && [ "$_p" -le 65533 ] || die "port '$_p' is not a number in 1..65533"
done
unset _p

node_port() { echo $(( KAFKA_CLUSTER_PORT + $1 - 1 )); }
node_controller_port() { echo $(( KAFKA_CLUSTER_CONTROLLER_PORT + $1 - 1 )); }
node_dir() { echo "$KAFKA_CLUSTER_DIR/node-$1"; }

cluster_bootstrap() {
  local n out=""
  for n in $KAFKA_CLUSTER_NODES; do out="${out:+$out,}127.0.0.1:$(node_port "$n")"; done
  echo "$out"
}

check_node_arg() {
  case "${1:-}" in 1|2|3) ;; *) die "node '${1:-}' is not one of $KAFKA_CLUSTER_NODES" ;; esac
}

# Alive and not a zombie: a node runs in its own session (setsid), so once it exits it is reparented
# to pid 1, which may take a moment to reap it.
alive() {
  kill -0 "$1" 2>/dev/null && [ "$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$1/status" 2>/dev/null)" != "Z" ]
}

# The pid of node N started from this KAFKA_CLUSTER_DIR, if it is alive (and not a recycled pid).
node_pid() {
  local nd pid
  nd="$(node_dir "$1")"
  [ -f "$nd/kafka.pid" ] || return 1
  pid="$(cat "$nd/kafka.pid")"
  alive "$pid" || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF "kafka.Kafka $nd/server.properties" || return 1
  echo "$pid"
}

# Wait (bounded) for a pid to exit; returns 1 if it is still alive after $2 seconds.
wait_exit() {
  local pid="$1" deadline=$(( $(date +%s) + $2 ))
  while alive "$pid"; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

# Launch node N from its server.properties (formatted data must exist); prints nothing, writes the pid file.
launch_node() {
  local n="$1" nd pid g
  nd="$(node_dir "$n")"
  mkdir -p "$nd/logs"
  # keep the logs of the last three runs of this node (server.log.1 is the previous one: after a kill,
  # the log of the killed process)
  for g in 2 1; do [ -f "$nd/logs/server.log.$g" ] && mv -f "$nd/logs/server.log.$g" "$nd/logs/server.log.$((g + 1))"; done
  [ -s "$nd/logs/server.log" ] && mv -f "$nd/logs/server.log" "$nd/logs/server.log.1"
  : > "$nd/logs/server.log"
  # setsid: own session, so the node outlives the calling shell; a simple command, so $! is java's pid
  # shellcheck disable=SC2086
  setsid nohup "$JAVA" $KAFKA_CLUSTER_HEAP -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$KAFKA_CLUSTER_DIR/log4j2.properties" -Dkafka.logs.dir="$nd/logs" \
    -cp "$KAFKA_CP" kafka.Kafka "$nd/server.properties" \
    > "$nd/logs/stdout.log" 2>&1 < /dev/null 9>&- &   # 9>&-: the node must not keep start.lock
  pid=$!
  echo "$pid" > "$nd/kafka.pid"
  log "launched node $n (pid $pid, 127.0.0.1:$(node_port "$n"), controller :$(node_controller_port "$n"))"
}

# Wait until node N logged "Kafka Server started" and its client port accepts TCP; dies with the log
# tail if it exits or the deadline (epoch seconds, $2) passes.
wait_node_started() {
  local n="$1" deadline="$2" nd pid
  nd="$(node_dir "$n")"
  pid="$(cat "$nd/kafka.pid")"
  until grep -q "Kafka Server started" "$nd/logs/server.log" 2>/dev/null && port_open "$(node_port "$n")"; do
    if ! alive "$pid"; then
      echo "---- $nd/logs/stdout.log (tail) ----" >&2; tail -20 "$nd/logs/stdout.log" >&2 || true
      echo "---- $nd/logs/server.log (errors) ----" >&2
      grep -E "ERROR|FATAL|Exception" "$nd/logs/server.log" | tail -20 >&2 || true
      die "node $n (pid $pid) exited during startup"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "---- $nd/logs/server.log (tail) ----" >&2; tail -30 "$nd/logs/server.log" >&2 || true
      die "node $n not ready after ${KAFKA_CLUSTER_START_TIMEOUT}s (still running as pid $pid; logs in $nd/logs)"
    fi
    sleep 0.2
  done
}

# Run a Kafka command-line tool (class $1, then its arguments) against the cluster in a short-lived JVM.
# Its stdout is passed through; its log (WARN and above) and stderr go to $KAFKA_CLUSTER_DIR/tools.log.
# Bounded: killed after 30 s.
kafka_tool() {
  local cls="$1"; shift
  timeout 30 "$JAVA" -Xms32m -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dlog4j2.configurationFile="$KAFKA_CLUSTER_DIR/tools-log4j2.properties" \
    -cp "$KAFKA_CP" "$cls" "$@" 2>> "$KAFKA_CLUSTER_DIR/tools.log"
}

# log4j2 config for kafka_tool: WARN and above to stderr (which kafka_tool sends to tools.log).
write_tools_log4j2() {
  cat > "$KAFKA_CLUSTER_DIR/tools-log4j2.properties" <<'EOF'
status = warn
appender.err.type = Console
appender.err.name = STDERR
appender.err.target = SYSTEM_ERR
appender.err.layout.type = PatternLayout
appender.err.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.err.ref = STDERR
EOF
}

# The ids of the brokers the cluster's metadata lists (registered and not fenced), one per line, asked of
# any live node with BrokerApiVersionsCommand (a Metadata request, then ApiVersions to each broker).
registered_brokers() {
  kafka_tool org.apache.kafka.tools.BrokerApiVersionsCommand --bootstrap-server "$(cluster_bootstrap)" \
    | sed -n 's/^127\.0\.0\.1:[0-9]* (id: \([0-9]*\) .*/\1/p' | sort -u
}

# Wait (bounded by the deadline $1, epoch seconds) until the metadata lists every node of "$2" ("1 2 3").
wait_registered() {
  local deadline="$1" want="$2" have n missing
  while :; do
    have=" $(registered_brokers | tr '\n' ' ')" || true
    missing=""
    for n in $want; do case "$have" in *" $n "*) ;; *) missing="$missing $n" ;; esac; done
    [ -z "$missing" ] && return 0
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "---- $KAFKA_CLUSTER_DIR/tools.log (tail) ----" >&2; tail -10 "$KAFKA_CLUSTER_DIR/tools.log" >&2 || true
      die "node(s)$missing not registered in the cluster after ${KAFKA_CLUSTER_START_TIMEOUT}s (registered:${have% })"
    fi
    sleep 0.5
  done
}
