#!/usr/bin/env bash
# The crash demo: the orders service dies between committing orders and publishing them, and no order is lost or
# placed twice. Needs a real broker (the processes share it):
#
#   SWITCHBOARD_BROKER=rabbitmq examples/checkout/crash-demo.sh [--orders N] [--crash-after-commit N]
#   SWITCHBOARD_BROKER=kafka    examples/checkout/crash-demo.sh [--database-url jdbc:postgresql://…]
#
# SWITCHBOARD_BROKER is rabbitmq (the default) or kafka, and SWITCHBOARD_RABBITMQ_URI or
# SWITCHBOARD_KAFKA_BOOTSTRAP_SERVERS its endpoint; without one, run.sh starts the local broker (or reuses it).
# The databases are H2 files under <java.io.tmpdir>/switchboard-checkout/<namespace>, or PostgreSQL schemas with
# --database-url (or CHECKOUT_DATABASE_URL). Each run has a namespace of its own (crash-demo-HHMMSS); its queues,
# topics and databases are left in place, to look at afterwards.
#
#   1. payments, inventory, shipping and the driver start in one process; the driver sends every PlaceOrder command;
#   2. the orders service starts in a second process with --crash-after-commit N: it runs no outbox relay and halts
#      its JVM (Runtime.halt, exit status 70) right after the N-th order's transaction committed: those orders and
#      their OrderPlaced events are in its database, unpublished, and their commands unacknowledged;
#   3. once it died, the orders service starts again, normally: its relay publishes what the dead process committed,
#      the broker redelivers the unacknowledged commands and the inbox skips those already committed;
#   4. the driver ends with its summary: lost=0. Exit status: the driver's (1 if an order was lost).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

fail() { echo "[crash-demo] ERROR: $*" >&2; exit 1; }

broker="${SWITCHBOARD_BROKER:-rabbitmq}"
case "$broker" in
  rabbitmq|kafka) export SWITCHBOARD_BROKER="$broker" ;;
  *) fail "SWITCHBOARD_BROKER must be rabbitmq or kafka (the processes share a real broker), was '$broker'" ;;
esac

orders=200
crash_after=20
database=()
while [ $# -gt 0 ]; do
  case "$1" in
    --orders) orders="$2"; shift 2 ;;
    --crash-after-commit) crash_after="$2"; shift 2 ;;
    --database-url|--data-dir) database+=("$1" "$2"); shift 2 ;;
    *) fail "unknown option $1; expected --orders N, --crash-after-commit N, --database-url URL, --data-dir DIR" ;;
  esac
done

namespace="crash-demo-$(date +%H%M%S)"
logs="$(mktemp -d "${TMPDIR:-/tmp}/checkout-crash-demo.XXXXXX")"
common=(--namespace "$namespace" ${database[@]+"${database[@]}"})
started=()
cleanup() {
  for pid in ${started[@]+"${started[@]}"}; do
    kill "$pid" 2> /dev/null || true
  done
}
trap cleanup EXIT

# show FILE PREFIX PID: prints a process's output as it comes, each line prefixed, until the process ended
show() {
  tail -n +1 --pid="$3" -f "$1" | sed -u "s/^/$2 /" &
  followers+=($!)
}
followers=()

echo "[crash-demo] $broker, namespace $namespace, $orders orders, orders crash after $crash_after commits; logs in $logs"

"$here/run.sh" --service payments,inventory,shipping,driver --orders "$orders" "${common[@]}" \
  > "$logs/rest.out" 2> "$logs/rest.log" &
rest=$!
started+=("$rest")
show "$logs/rest.out" "[payments,inventory,shipping,driver]" "$rest"
until grep -q '^placing ' "$logs/rest.out"; do # the driver is connected and sends its commands
  kill -0 "$rest" 2> /dev/null || fail "the driver's process ended early; its log: $logs/rest.log"
  sleep 0.2
done

set +e
"$here/run.sh" --service orders --crash-after-commit "$crash_after" "${common[@]}" 2> "$logs/orders-1.log" \
  | sed -u 's/^/[orders, 1st process] /'
status=${PIPESTATUS[0]}
set -e
echo "[crash-demo] the 1st orders process ended with exit status $status (70 is Runtime.halt by --crash-after-commit)"
[ "$status" -eq 70 ] || fail "the orders process did not crash as planned; its log: $logs/orders-1.log"

"$here/run.sh" --service orders "${common[@]}" > "$logs/orders-2.out" 2> "$logs/orders-2.log" &
orders_pid=$!
started+=("$orders_pid")
show "$logs/orders-2.out" "[orders, 2nd process]" "$orders_pid"

set +e
wait "$rest"
status=$?
set -e
kill "$orders_pid" # SIGTERM: it closes its relay and its database
wait "$orders_pid" 2> /dev/null || true
wait "${followers[@]}"
exit "$status"
