#!/usr/bin/env bash
# The one command that runs every test of the project on a fresh machine of this kind:
# it starts the local brokers the tests need (each script reuses a running broker), points the tests
# at them, and runs the Maven build with every module's tests.
#
#   bash scripts/test.sh            # what CI runs (.ci/run); extra arguments go to Maven
#
# A broker that cannot start fails this script loudly; TEST_REQUIRE_BROKERS=true makes any test that
# finds no broker fail instead of skip. The brokers are left running: the next run reuses them
# (stop them with scripts/stop-*.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

export TEST_SCRIPTS_DIR="$PWD/scripts"
export TEST_REQUIRE_BROKERS=true

fail() { echo "[test.sh] ERROR: $*" >&2; exit 1; }

# run_broker_script NAME: runs scripts/NAME (its log goes to stderr) and prints its KEY=VALUE stdout.
# Called as out=$(run_broker_script ...) || exit 1, so a failing script stops test.sh.
run_broker_script() {
  local out
  if ! out="$(bash "$TEST_SCRIPTS_DIR/$1")"; then
    fail "scripts/$1 failed (its messages are above): the tests were not run"
  fi
  printf '%s\n' "$out"
}

# value_of KEY OUTPUT: the value of the KEY=... line of a broker script's output; fails if missing.
value_of() {
  local value
  value="$(sed -n "s/^$1=//p" <<< "$2" | head -n 1)"
  [ -n "$value" ] || fail "the broker script printed no $1= line (output: $2)"
  printf '%s\n' "$value"
}

# One function per broker: start it, then export the TEST_* variables the tests read.
start_kafka() {
  local out
  out="$(run_broker_script start-kafka.sh)" || exit 1
  TEST_KAFKA_BOOTSTRAP_SERVERS="$(value_of KAFKA_BOOTSTRAP "$out")" || exit 1
  TEST_KAFKA_SASL_BOOTSTRAP_SERVERS="$(value_of KAFKA_SASL_BOOTSTRAP "$out")" || exit 1
  # the SCRAM user start-kafka.sh creates (same env knobs and defaults as there)
  TEST_KAFKA_SASL_USERNAME="${KAFKA_SASL_USER:-switchboard}"
  TEST_KAFKA_SASL_PASSWORD="${KAFKA_SASL_PASSWORD:-switchboard-secret}"
  export TEST_KAFKA_BOOTSTRAP_SERVERS TEST_KAFKA_SASL_BOOTSTRAP_SERVERS TEST_KAFKA_SASL_USERNAME TEST_KAFKA_SASL_PASSWORD
  echo "[test.sh] Kafka: $TEST_KAFKA_BOOTSTRAP_SERVERS, SASL/SCRAM: $TEST_KAFKA_SASL_BOOTSTRAP_SERVERS" >&2
}
start_rabbitmq() {
  local out
  out="$(run_broker_script start-rabbitmq.sh)" || exit 1
  TEST_RABBITMQ_URI="$(value_of RABBITMQ_URI "$out")" || exit 1
  TEST_RABBITMQ_TLS_URI="$(value_of RABBITMQ_TLS_URI "$out")" || exit 1
  TEST_RABBITMQ_TLS_CA="$(value_of RABBITMQ_TLS_CA "$out")" || exit 1
  TEST_RABBITMQ_TLS_TRUSTSTORE="$(value_of RABBITMQ_TLS_TRUSTSTORE "$out")" || exit 1
  TEST_RABBITMQ_TLS_WRONG_TRUSTSTORE="$(value_of RABBITMQ_TLS_WRONG_TRUSTSTORE "$out")" || exit 1
  export TEST_RABBITMQ_URI TEST_RABBITMQ_TLS_URI TEST_RABBITMQ_TLS_CA TEST_RABBITMQ_TLS_TRUSTSTORE TEST_RABBITMQ_TLS_WRONG_TRUSTSTORE
  echo "[test.sh] RabbitMQ: $TEST_RABBITMQ_URI, TLS: $TEST_RABBITMQ_TLS_URI (truststore $TEST_RABBITMQ_TLS_TRUSTSTORE)" >&2
}
start_sns_sqs() {
  local out
  out="$(run_broker_script start-sns-sqs.sh)" || exit 1
  # TEST_ prefix on purpose: exported AWS_* variables would feed every test's default AWS credential
  # and region chain.
  TEST_SNS_SQS_ENDPOINT="$(value_of SNS_SQS_ENDPOINT "$out")" || exit 1
  TEST_AWS_REGION="$(value_of AWS_REGION "$out")" || exit 1
  TEST_AWS_ACCESS_KEY_ID="$(value_of AWS_ACCESS_KEY_ID "$out")" || exit 1
  TEST_AWS_SECRET_ACCESS_KEY="$(value_of AWS_SECRET_ACCESS_KEY "$out")" || exit 1
  export TEST_SNS_SQS_ENDPOINT TEST_AWS_REGION TEST_AWS_ACCESS_KEY_ID TEST_AWS_SECRET_ACCESS_KEY
  echo "[test.sh] SNS + SQS (fauxqs): $TEST_SNS_SQS_ENDPOINT, region $TEST_AWS_REGION" >&2
}

start_kafka_cluster() {
  local out
  out="$(run_broker_script start-kafka-cluster.sh)" || exit 1
  TEST_KAFKA_CLUSTER_BOOTSTRAP="$(value_of KAFKA_CLUSTER_BOOTSTRAP "$out")" || exit 1
  export TEST_KAFKA_CLUSTER_BOOTSTRAP
  echo "[test.sh] Kafka cluster (3 nodes): $TEST_KAFKA_CLUSTER_BOOTSTRAP" >&2
}

start_rabbitmq_cluster() {
  local out
  out="$(run_broker_script start-rabbitmq-cluster.sh)" || exit 1
  TEST_RABBITMQ_CLUSTER_ADDRESSES="$(value_of RABBITMQ_CLUSTER_ADDRESSES "$out")" || exit 1
  export TEST_RABBITMQ_CLUSTER_ADDRESSES
  echo "[test.sh] RabbitMQ cluster (3 nodes): $TEST_RABBITMQ_CLUSTER_ADDRESSES" >&2
}

# The databases of switchboard-jdbc's outbox and inbox tests (machine services reused when they answer).
start_databases() {
  local out
  out="$(run_broker_script start-postgres.sh)" || exit 1
  TEST_POSTGRES_JDBC_URL="$(value_of POSTGRES_JDBC_URL "$out")" || exit 1
  out="$(run_broker_script start-mariadb.sh)" || exit 1
  TEST_MARIADB_JDBC_URL="$(value_of MARIADB_JDBC_URL "$out")" || exit 1
  export TEST_POSTGRES_JDBC_URL TEST_MARIADB_JDBC_URL
  echo "[test.sh] PostgreSQL: $TEST_POSTGRES_JDBC_URL, MariaDB: $TEST_MARIADB_JDBC_URL" >&2
}

start_kafka
start_kafka_cluster
start_rabbitmq
start_rabbitmq_cluster
start_sns_sqs
start_databases

./mvnw -B -ntp verify "$@"
