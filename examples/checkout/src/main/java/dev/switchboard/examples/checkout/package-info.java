/**
 * The checkout example: four services — orders, payments, inventory, shipping — coordinated only through
 * events, each its own subscription group with typed handlers. It runs on the in-memory broker, and unchanged
 * on Kafka, RabbitMQ or SNS/SQS by configuration alone.
 *
 * <pre>
 * OrderPlaced ─▶ payments ─▶ PaymentAuthorized ─▶ inventory ─▶ StockReserved ─▶ shipping ─▶ OrderShipped
 *                   │                                  │
 *                   └▶ PaymentDeclined ─▶ orders ─▶ OrderCancelled
 *                                                      └▶ OutOfStock ─▶ payments ─▶ RefundIssued ─▶ orders ─▶ OrderCancelled
 * </pre>
 *
 * The order id is the correlation id and the partition key of every event of an order; each event's causation
 * id is the id of the event that caused it.
 *
 * <p>Observability, on request (the README, "Watching the checkout"): {@code --metrics-port} serves the
 * meters of every service in the process ({@code switchboard-micrometer}, one {@code PrometheusMeterRegistry},
 * each sample labelled {@code service}) as Prometheus text and their {@code Messaging.health()} as JSON, on the
 * loopback interface ({@link dev.switchboard.examples.checkout.MetricsEndpoint}); {@code --trace} traces every
 * service ({@code switchboard-opentelemetry}, one OpenTelemetry SDK per service whose resource names it, one
 * in-process collector) and prints one order's trace as a tree
 * ({@link dev.switchboard.examples.checkout.OrderTrace}); {@code --trace-svg} draws it as an SVG waterfall
 * ({@link dev.switchboard.examples.checkout.TraceWaterfall}). A shipped order's trace runs driver → payments →
 * inventory → shipping → driver; a cancelled order's reaches the orders service.
 */
package dev.switchboard.examples.checkout;
