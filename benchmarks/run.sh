#!/usr/bin/env bash
# Switchboard against the raw clients on Kafka, RabbitMQ, SNS/SQS and the in-memory broker, plus the JMH
# microbenchmarks; writes benchmarks/results/latest.md (table) and latest.png (chart).
#
#   benchmarks/run.sh [--quick] [--typed] [--brokers kafka,rabbitmq,sns-sqs,in-memory] [--no-jmh]
#
# --typed: the typed path against the peers (issue 13): raw client + Jackson, Switchboard's typed API, Spring for
# Apache Kafka and Spring AMQP; Kafka and RabbitMQ only (the default broker list becomes kafka,rabbitmq).
# --quick: fewer events and rounds (whole run under 5 minutes); without it Kafka runs use 1M events per round.
# Builds what it needs, starts (or reuses) the local brokers with the project's scripts (never stops them),
# creates its own topics/queues per run and deletes them at the end. Extra JVM flags for the harness (for
# example a JFR recording) go in HARNESS_JAVA_OPTS.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
results="$here/results"
log() { echo "[bench] $*" >&2; }
fail() { echo "[bench] ERROR: $*" >&2; exit 1; }
value_of() { sed -n "s/^$1=//p" <<< "$2" | head -n 1; }

quick=""
mode="full"
brokers="kafka,rabbitmq,sns-sqs,in-memory"
jmh=1
typed=""
brokers_given=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick="--quick"; mode="quick" ;;
    --brokers) brokers="$2"; brokers_given=1; shift ;;
    --typed) typed="--typed" ;;
    --no-jmh) jmh=0 ;;
    *) fail "unknown argument $1 (use --quick, --typed, --brokers LIST, --no-jmh)" ;;
  esac
  shift
done
if [ -n "$typed" ]; then
  [ "$brokers_given" = 1 ] || brokers="kafka,rabbitmq"
  mode="$mode, typed path"
fi
started=$(date +%s)

classpath_file="$here/target/runtime-classpath.txt"
if [ ! -s "$classpath_file" ] || [ -n "$(find "$root" -path '*/src/main/*' -newer "$classpath_file" -type f -print -quit)" ] \
   || [ "$here/pom.xml" -nt "$classpath_file" ]; then
  log "building the benchmarks and the modules they use…"
  (cd "$root" && ./mvnw -q -B -ntp package -DskipTests -pl benchmarks -am) >&2 || fail "the build failed"
fi
cp="$here/target/classes:$(cat "$classpath_file")"

case ",$brokers," in *,kafka,*)
  out="$(bash "$root/scripts/start-kafka.sh")" || fail "could not start the local Kafka"
  export BENCH_KAFKA_BOOTSTRAP="$(value_of KAFKA_BOOTSTRAP "$out")" ;; esac
case ",$brokers," in *,rabbitmq,*)
  out="$(bash "$root/scripts/start-rabbitmq.sh")" || fail "could not start the local RabbitMQ"
  export BENCH_RABBITMQ_URI="$(value_of RABBITMQ_URI "$out")" ;; esac
case ",$brokers," in *,sns-sqs,*)
  out="$(bash "$root/scripts/start-sns-sqs.sh")" || fail "could not start the local SNS/SQS emulator"
  export BENCH_SNS_SQS_ENDPOINT="$(value_of SNS_SQS_ENDPOINT "$out")" ;; esac

mkdir -p "$results"
rm -f "$results/harness.tsv" "$results/instrumentation.tsv" "$results/jmh.json"
log "harness ($mode): $brokers"
status=0
# shellcheck disable=SC2086
java -Xms1g -Xmx3g -XX:+UseG1GC ${HARNESS_JAVA_OPTS:-} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" \
  dev.switchboard.benchmarks.Harness $quick $typed --brokers "$brokers" --out "$results" || status=$?
# a broker that failed is recorded in harness.tsv and reported; a harness that wrote nothing has its error above
[ -s "$results/harness.tsv" ] || fail "the harness wrote no results (exit status $status): see its error above"

if [ "$jmh" = 1 ]; then
  if [ -n "$quick" ]; then jmh_args=(-f 1 -wi 5 -w 1s -i 3 -r 1s); else jmh_args=(-f 2 -wi 3 -w 2s -i 5 -r 2s); fi
  log "JMH ($mode)"
  java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" org.openjdk.jmh.Main "${jmh_args[@]}" \
    -jvmArgs "-Xms1g -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn" \
    -rf json -rff "$results/jmh.json" 'dev.switchboard.benchmarks.jmh.*' >&2 || status=$?
fi

commit="$(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
java -Djava.awt.headless=true -cp "$cp" dev.switchboard.benchmarks.Report --results "$results" --mode "$mode" --commit "$commit"
log "done in $(( $(date +%s) - started )) s: $results/latest.md, $results/latest.png"
exit "$status"
