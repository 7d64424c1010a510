#!/usr/bin/env bash
# Runs the checkout example: four services coordinated only through events, and a driver that places
# orders and reports where each one ended.
#
#   examples/checkout/run.sh [--orders N] [--service all|SERVICE[,SERVICE…]]   (orders payments inventory shipping driver)
#                            [--namespace NAME] [--timeout SECONDS]
#                            [--database-url jdbc:postgresql://…] [--data-dir DIR] [--crash-after-commit N]
#                            [--metrics-port PORT [--linger SECONDS]]
#                            [--trace] [--trace-order first|retried|N|ORDER-ID] [--trace-svg FILE]
#   SWITCHBOARD_BROKER=kafka|rabbitmq|sns-sqs examples/checkout/run.sh     # same code, a real broker
#
# Databases: orders and payments each keep theirs (the transactional outbox and inbox, and their table):
#   (default)            embedded H2 files under --data-dir DIR (default <java.io.tmpdir>/switchboard-checkout),
#                        <DIR>/<namespace>/orders.mv.db and payments.mv.db; a restarted process finds what it committed
#   --database-url URL   PostgreSQL instead (also CHECKOUT_DATABASE_URL): schemas <namespace>_orders and
#                        <namespace>_payments, created if missing
#   --crash-after-commit N  (crash demo; --service with orders, without driver) the orders service starts no outbox
#                        relay and halts its JVM (exit status 70) right after its N-th order committed: those orders'
#                        OrderPlaced events stay in its outbox until the next orders process publishes them.
#                        examples/checkout/crash-demo.sh runs the whole demo.
#
# Observability (README, "Watching the checkout"):
#   --metrics-port PORT  Prometheus text of every service in the process at http://127.0.0.1:PORT/metrics (label
#                        service=orders|payments|inventory|shipping|checkout-driver) and their health as JSON at
#                        /health (200 when all are UP, else 503); loopback only, 0 = any free port (printed)
#   --linger SECONDS     after a run that places orders, keep serving that long, services still open (default 0)
#   --trace              collect every service's spans in the process (needs --service all) and print the trace
#                        of the first shipped order as an indented tree
#   --trace-order WHICH  which order to print: first (shipped, default), retried (first shipped order whose payment
#                        was retried), N (the run's order number N) or an order id; implies --trace
#   --trace-svg FILE     also draw that trace as an SVG waterfall; implies --trace
#
# Without SWITCHBOARD_BROKER it runs on the in-memory broker. With a real broker and no endpoint configured
# (SWITCHBOARD_KAFKA_BOOTSTRAP_SERVERS, SWITCHBOARD_RABBITMQ_URI, SWITCHBOARD_SNS_SQS_ENDPOINT), the project's
# script starts the local one (or reuses it). Builds what it needs on first use and after source changes.
# Ends with: checkout: placed=N shipped=S cancelled=C dead-lettered=D lost=L  (exit status 1 if lost > 0)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

fail() { echo "[checkout] ERROR: $*" >&2; exit 1; }
value_of() { sed -n "s/^$1=//p" <<< "$2" | head -n 1; }

broker="${SWITCHBOARD_BROKER:-in-memory}"
case "$broker" in
  in-memory) ;;
  kafka)
    if [ -z "${SWITCHBOARD_KAFKA_BOOTSTRAP_SERVERS:-}" ]; then
      out="$(bash "$root/scripts/start-kafka.sh")" || fail "could not start the local Kafka"
      export SWITCHBOARD_KAFKA_BOOTSTRAP_SERVERS="$(value_of KAFKA_BOOTSTRAP "$out")"
    fi ;;
  rabbitmq)
    if [ -z "${SWITCHBOARD_RABBITMQ_URI:-}" ]; then
      out="$(bash "$root/scripts/start-rabbitmq.sh")" || fail "could not start the local RabbitMQ"
      export SWITCHBOARD_RABBITMQ_URI="$(value_of RABBITMQ_URI "$out")"
    fi ;;
  sns-sqs)
    if [ -z "${SWITCHBOARD_SNS_SQS_ENDPOINT:-}" ]; then
      out="$(bash "$root/scripts/start-sns-sqs.sh")" || fail "could not start the local SNS/SQS emulator"
      export SWITCHBOARD_SNS_SQS_ENDPOINT="$(value_of SNS_SQS_ENDPOINT "$out")"
      export SWITCHBOARD_SNS_SQS_REGION="${SWITCHBOARD_SNS_SQS_REGION:-$(value_of AWS_REGION "$out")}"
      export SWITCHBOARD_SNS_SQS_ACCESS_KEY_ID="${SWITCHBOARD_SNS_SQS_ACCESS_KEY_ID:-$(value_of AWS_ACCESS_KEY_ID "$out")}"
      export SWITCHBOARD_SNS_SQS_SECRET_ACCESS_KEY="${SWITCHBOARD_SNS_SQS_SECRET_ACCESS_KEY:-$(value_of AWS_SECRET_ACCESS_KEY "$out")}"
    fi ;;
  *) fail "SWITCHBOARD_BROKER must be in-memory, kafka, rabbitmq or sns-sqs, was '$broker'" ;;
esac
export SWITCHBOARD_BROKER="$broker"

classpath="$here/target/runtime-classpath.txt"
if [ ! -s "$classpath" ] || [ -n "$(find "$root" -path '*/src/main/*' -newer "$classpath" -type f -print -quit)" ]; then
  echo "[checkout] building the example (first run, or sources changed)…" >&2
  (cd "$root" && ./mvnw -q -B -ntp install -DskipTests -pl examples/checkout -am) >&2 || fail "the build failed"
fi

exec java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$here/target/classes:$(cat "$classpath")" \
  dev.switchboard.examples.checkout.CheckoutApp "$@"
