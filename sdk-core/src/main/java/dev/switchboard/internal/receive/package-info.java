/**
 * The receiving side of the portable runtime: one running subscription, from the driver's receive call to
 * the ack, in parts that each do one job. Not API.
 *
 * <pre>
 *  Messaging ──▶ SubscriptionRuntime   opens the receiver, builds and wires the parts; start, close, stats
 *
 *  ReceiveLoop ──batch──▶ Dispatcher ──outcome──▶ Settlement ──ack · nack · dead letter──▶ ReceiverDriver
 *   pollers,               lanes, decode,   ▲      retry policy, local retries,
 *   backoff                handler, dedup   │      dedup claim, acks via Batcher
 *       │                      │            └── runAgain · released ──┘  (callbacks, not a dependency)
 *       ▼                      ▼                        ▼
 *  ════════ InFlight: the window of slots · the unsettled deliveries · whether draining ════════
 *       ▲
 *  Drain ──▶ loop.stop · receiver.pause · settlement.cancelLocalRetry · await · settlement.giveBack
 *            · await acks · workers.shutdownNow · receiver.close
 * </pre>
 *
 * Every arrow is a call, and they all point one way: a part knows only the parts to its right and below it.
 * The one way back, from settlement to dispatch (a local retry is due; a settled delivery frees its lane), is
 * two callbacks the facade passes to {@link dev.switchboard.internal.receive.Settlement}, so that the classes
 * form no cycle ({@code ReceivePackageRulesTest} checks it). Time ({@code Scheduler}) and the handler threads
 * ({@code Workers}) are passed in, so that the parts are unit-tested deterministically against a scripted
 * receiver.
 *
 * <p>A delivery's path: a poller takes free slots of the window and receives at most that many messages;
 * the dispatcher wraps each in an {@code InFlightDelivery} (decoded lazily, on the handler's thread), sends a
 * keyed one through its key's lane and the others in a few slices to the workers; the worker reads the event,
 * checks deduplication, decodes the payload and calls the handler; settlement acks (batched), retries or
 * dead-letters, then gives the slot back and lets the key's next delivery start.
 */
package dev.switchboard.internal.receive;
