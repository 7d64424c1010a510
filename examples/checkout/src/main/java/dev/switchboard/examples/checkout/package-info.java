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
 */
package dev.switchboard.examples.checkout;
