# Helpers shared by the Kafka scripts (start-kafka.sh, start-kafka-cluster.sh, kafka-cluster-fault.sh).
# Sourced, not run. The caller defines log and die (each with its own prefix) and sets
# KAFKA_VERSION, JAVA, MVN (may be empty) and REPO_ROOT before calling these functions.
#
#   port_open PORT                 true when 127.0.0.1:PORT accepts a TCP connection
#   kafka_require_java             dies unless $JAVA is Java 17+
#   kafka_resolve_classpath DIR    resolves the broker jars from Maven Central into DIR (cached there
#                                  per pom), sets KAFKA_CP to the classpath
#   kafka_write_log4j2 FILE        log4j2 config: INFO to ${kafka.logs.dir}/server.log
#   kafka_new_cluster_id           prints a fresh KRaft cluster id

KAFKA_LOG4J_SLF4J_VERSION="2.25.5"   # Kafka 4.x logs through slf4j-api 1.7.x: needs log4j-slf4j-impl (not -slf4j2-)

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

kafka_require_java() {
  local jv
  command -v "$JAVA" >/dev/null 2>&1 || die "'$JAVA' not found: Kafka $KAFKA_VERSION needs a JDK 17+ (set JAVA=...)"
  jv="$("$JAVA" -version 2>&1 | awk -F'"' '/version/ {print $2}' | cut -d. -f1)"
  [ "${jv:-0}" -ge 17 ] 2>/dev/null || die "Kafka $KAFKA_VERSION needs Java 17+, found '${jv:-?}' ($JAVA)"
}

# The jars of org.apache.kafka:kafka_2.13 (broker), kafka-tools (console tools, perf tools) and the
# log4j binding, resolved with a throwaway pom and `mvn dependency:build-classpath`. DIR keeps the pom
# and cp.txt; a later call reuses cp.txt while the pom is unchanged and every jar in it still exists.
kafka_resolve_classpath() {
  local deps="$1" pom cpfile cp_ok t0 j
  local -a jars
  if [ -z "$MVN" ]; then
    if command -v mvn >/dev/null 2>&1; then MVN=mvn; else MVN="$REPO_ROOT/mvnw"; fi
  fi
  mkdir -p "$deps"
  pom="$(cat <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.switchboard.brokers</groupId><artifactId>kafka-runtime</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    <!-- console tools, ProducerPerformance/ConsumerPerformance for benchmarks -->
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>$KAFKA_VERSION</version></dependency>
    <!-- Kafka logs via slf4j-api 1.7.x; without this binding the broker logs nothing (NOP logger) -->
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>$KAFKA_LOG4J_SLF4J_VERSION</version></dependency>
  </dependencies>
</project>
EOF
)"
  cpfile="$deps/cp.txt"
  cp_ok=0
  if [ -s "$cpfile" ] && [ "$(cat "$deps/pom.xml" 2>/dev/null)" = "$pom" ]; then
    cp_ok=1
    IFS=: read -r -a jars < "$cpfile" || true
    for j in "${jars[@]}"; do [ -f "$j" ] || { cp_ok=0; break; }; done
  fi
  if [ "$cp_ok" -eq 0 ]; then
    printf '%s\n' "$pom" > "$deps/pom.xml"
    log "resolving org.apache.kafka:kafka_2.13:$KAFKA_VERSION with $MVN"
    t0=$(date +%s)
    if ! "$MVN" -q -B -f "$deps/pom.xml" dependency:build-classpath -Dmdep.outputFile="$cpfile" > "$deps/mvn.log" 2>&1; then
      rm -f "$cpfile"
      tail -30 "$deps/mvn.log" >&2
      die "Maven could not resolve Kafka $KAFKA_VERSION (log: $deps/mvn.log)"
    fi
    log "resolved in $(( $(date +%s) - t0 ))s"
  fi
  KAFKA_CP="$(cat "$cpfile")"
}

kafka_write_log4j2() {
  cat > "$1" <<'EOF'
status = warn
appender.file.type = File
appender.file.name = FILE
appender.file.fileName = ${sys:kafka.logs.dir}/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
logger.state.name = state.change.logger
logger.state.level = WARN
logger.request.name = kafka.request.logger
logger.request.level = WARN
EOF
}

# Same format as `kafka-storage random-uuid` (22 chars of URL-safe base64 of 16 bytes); like Kafka's own
# Uuid.randomUuid, never one that starts with '-', which the StorageTool would read as an option.
kafka_new_cluster_id() {
  local id="-"
  while [ "${id#-}" != "$id" ]; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
  done
  printf '%s\n' "$id"
}
