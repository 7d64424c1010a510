/**
 * The checkout example: four services — orders, payments, inventory, shipping — coordinated only through
 * events, each its own subscription group with typed handlers. It runs on the in-memory broker, and unchanged
 * on Kafka, RabbitMQ or SNS/SQS by configuration alone.
 *
 * <pre>
 * PlaceOrder ─▶ orders ─▶ OrderPlaced ─▶ payments ─▶ PaymentAuthorized ─▶ inventory ─▶ StockReserved ─▶ shipping ─▶ OrderShipped
 *                                           │                                  │
 *                                           └▶ PaymentDeclined ─▶ orders ─▶ OrderCancelled
 *                                                                              └▶ OutOfStock ─▶ payments ─▶ RefundIssued ─▶ orders ─▶ OrderCancelled
 * </pre>
 *
 * The order id is the correlation id and the partition key of every event of an order; each event's causation
 * id is the id of the event that caused it.
 *
 * <p>Orders and payments keep state in a database of their own ({@link dev.switchboard.examples.checkout.ServiceDatabase}:
 * embedded H2 files, or a PostgreSQL schema each) and use {@code switchboard-jdbc}: each handles its events in an
 * inbox transaction ({@code Inbox.transactional}) that also writes its row and, through the outbox
 * ({@code Outbox.publish}), the event it announces; its {@code OutboxRelay} publishes that event once committed.
 * A redelivered event has its effects once, and an event committed by a process that died before publishing it is
 * published by the next one: the crash demo ({@code --crash-after-commit}, {@code crash-demo.sh}) shows it.
 *
 * <p>Observability, on request (the README, "Watching the checkout"): {@code --metrics-port} serves the
 * meters of every service in the process ({@code switchboard-micrometer}, one {@code PrometheusMeterRegistry},
 * each sample labelled {@code service}) as Prometheus text and their {@code Messaging.health()} as JSON, on the
 * loopback interface ({@link dev.switchboard.examples.checkout.MetricsEndpoint}); {@code --trace} traces every
 * service ({@code switchboard-opentelemetry}, one OpenTelemetry SDK per service whose resource names it, one
 * in-process collector) and prints one order's trace as a tree
 * ({@link dev.switchboard.examples.checkout.OrderTrace}); {@code --trace-svg} draws it as an SVG waterfall
 * ({@link dev.switchboard.examples.checkout.TraceWaterfall}). A shipped order's trace runs driver → orders → payments →
 * inventory → shipping → driver; the sends of orders and payments are their relays', in the trace of the handler
 * that wrote the event.
 */
package dev.switchboard.examples.checkout;
