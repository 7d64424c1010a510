/**
 * The receiving side of the portable runtime: one running subscription, from the driver's receive call to
 * the ack, in parts that each do one job. Not API.
 *
 * <pre>
 *  Messaging ──▶ SubscriptionRuntime   opens the receiver, builds the parts and wires them; start, close, stats
 *                     │ close
 *                     ▼
 *                   Drain   stop the loop · pause the receiver · give back local retries · await handlers
 *                     │     · give back the rest · await acks · stop the workers · close the receiver
 *                     ▼
 *  ReceiveLoop ──batch──▶ Dispatcher ──outcome──▶ Settlement ──ack · nack · dead letter──▶ ReceiverDriver
 *   pollers, backoff       lanes, decode,   ▲      retry policy, local retries,
 *                          handler, dedup   │      dedup claim, acks via Batcher
 *                                           └───── runAgain · released: callbacks the facade passes in
 *       │                      │                        │
 *       ▼                      ▼                        ▼
 *  ═══════ InFlight: the window of slots · the unsettled deliveries · whether draining ═══════
 * </pre>
 *
 * Every arrow is a call, and each points down or to the right: a part calls only parts below it or to its
 * right. The one way back, from settlement to dispatch (a local retry is due; a settled delivery frees its
 * lane), is two callbacks the facade passes to {@link dev.switchboard.internal.receive.Settlement}, so that the
 * classes form no cycle ({@code ReceivePackageRulesTest} checks it). Time ({@code Scheduler}) and the handler
 * threads ({@code Workers}) are passed in, so that the parts are unit-tested deterministically against a
 * scripted receiver.
 *
 * <p>A delivery's path: a poller takes free slots of the window and receives at most that many messages;
 * the dispatcher wraps each in an {@code InFlightDelivery} (decoded lazily, on the handler's thread), sends a
 * keyed one through its key's lane and the others in a few slices to the workers; the worker reads the event,
 * checks deduplication, decodes the payload and calls the handler; settlement acks (batched), retries or
 * dead-letters, then gives the slot back and lets the key's next delivery start.
 */
package dev.switchboard.internal.receive;

