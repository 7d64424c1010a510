#!/usr/bin/env bash
# The transactional outbox on PostgreSQL → Kafka against direct publishing, in one run: events/s from commit to
# broker confirmation (transactions of 10 events and of 1, 4 writers, one relay), and idle end-to-end latency
# p50 / p99 / max, each round beside direct publishing with Switchboard's publisher. Starts or reuses the local
# Kafka and PostgreSQL (never stops them); a schema and topics of the run's own, dropped at the end.
#
#   benchmarks/outbox.sh [--quick] [--name NAME]     # results in benchmarks/results/outbox/<NAME>/
#
# NAME defaults to <quick|full>-<commit>. Writes outbox.md (settings, machine, load average, rounds, medians),
# throughput.tsv and latency.tsv there and prints the table. Extra JVM flags in HARNESS_JAVA_OPTS; extra Maven
# arguments for the build (for example -Dmaven.repo.local=…) in BENCH_MAVEN_ARGS.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
log() { echo "[outbox] $*" >&2; }
fail() { echo "[outbox] ERROR: $*" >&2; exit 1; }
value_of() { sed -n "s/^$1=//p" <<< "$2" | head -n 1; }

quick=""
mode="full"
name=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick="--quick"; mode="quick" ;;
    --name) name="$2"; shift ;;
    *) fail "unknown argument $1 (use --quick, --name NAME)" ;;
  esac
  shift
done
commit="$(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(cd "$root" && git status --porcelain -- sdk-core sdk-kafka sdk-jdbc benchmarks/src 2>/dev/null)" ]; then
  commit="$commit+changes"
fi
out="$here/results/outbox/${name:-$mode-${commit%+changes}}"

classpath_file="$here/target/runtime-classpath.txt"
if [ ! -s "$classpath_file" ] || [ -n "$(find "$root" -path '*/src/main/*' -newer "$classpath_file" -type f -print -quit)" ] \
   || [ "$here/pom.xml" -nt "$classpath_file" ]; then
  log "building the benchmarks and the modules they use…"
  # shellcheck disable=SC2086
  (cd "$root" && ./mvnw -q -B -ntp package -DskipTests -pl benchmarks -am ${BENCH_MAVEN_ARGS:-}) >&2 || fail "the build failed"
  touch "$classpath_file"   # Maven leaves an unchanged classpath file as it was: mark it built now
fi

kafka_out="$(bash "$root/scripts/start-kafka.sh")" || fail "could not start the local Kafka"
export BENCH_KAFKA_BOOTSTRAP="$(value_of KAFKA_BOOTSTRAP "$kafka_out")"
postgres_out="$(bash "$root/scripts/start-postgres.sh")" || fail "could not start the local PostgreSQL"
export BENCH_POSTGRES_JDBC_URL="$(value_of POSTGRES_JDBC_URL "$postgres_out")"

mkdir -p "$out"
log "$mode run at $commit into $out (load average $(cut -d' ' -f1-3 /proc/loadavg); a shared 2-core machine: other builds may run)"
# shellcheck disable=SC2086
java -Xms1g -Xmx2g -XX:+UseG1GC ${HARNESS_JAVA_OPTS:-} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$here/target/classes:$(cat "$classpath_file")" dev.switchboard.benchmarks.OutboxBench $quick --out "$out" --commit "$commit"
log "done: $out/outbox.md"
