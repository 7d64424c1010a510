#!/usr/bin/env bash
# A soak (not part of CI): one service process publishing and consuming 200 events/s on Kafka and on RabbitMQ
# for N minutes, with a fault every M minutes in turn (Kafka broker stopped and started, every RabbitMQ connection
# closed by the broker, the RabbitMQ application restarted), sampling the process's heap after GC, live threads and
# open file descriptors every 5 s. Writes benchmarks/results/soak/{soak.tsv,soak.png,soak.md}; the last line of
# stdout says what was confirmed, what failed and what was lost per broker.
#
#   bash benchmarks/soak.sh --minutes 30 [--fault-every 3]
#
# The faults hit every client of the local brokers: run it with nothing else using them.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
value_of() { sed -n "s/^$1=//p" <<< "$2" | head -n 1; }
classpath_file="$here/target/runtime-classpath.txt"
if [ ! -s "$classpath_file" ] || [ -n "$(find "$root" -path '*/src/main/*' -newer "$classpath_file" -type f -print -quit)" ]; then
  echo "[soak] building the benchmarks and the modules they use…" >&2
  (cd "$root" && ./mvnw -q -B -ntp package -DskipTests -pl benchmarks -am) >&2
fi
out="$(bash "$root/scripts/start-kafka.sh")"
export BENCH_KAFKA_BOOTSTRAP="$(value_of KAFKA_BOOTSTRAP "$out")"
out="$(bash "$root/scripts/start-rabbitmq.sh")"
export BENCH_RABBITMQ_URI="$(value_of RABBITMQ_URI "$out")"
mkdir -p "$here/results/soak"
java -Xms256m -Xmx512m -XX:+UseG1GC -Dsoak.scripts="$root/scripts" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$here/target/classes:$(cat "$classpath_file")" dev.switchboard.benchmarks.Soak --out "$here/results/soak" "$@"
