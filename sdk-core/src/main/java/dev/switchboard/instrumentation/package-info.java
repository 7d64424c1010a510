/**
 * The instrumentation hook: what the portable runtime tells observers about publishes, deliveries and
 * subscriptions, on every broker alike. Metrics ({@code switchboard-micrometer}) and traces
 * ({@code switchboard-opentelemetry}) are built on it; so can a user's own listener.
 *
 * <p>An {@link dev.switchboard.instrumentation.Instrumentation} is registered with
 * {@code Messaging.builder().instrumentation(...)}. Its callbacks run on the hot path, on the publishing thread
 * or the handler's thread, so they must be quick and must not block; an exception thrown by one is logged and
 * ignored, never seen by the publisher or the handler. Without any instrumentation the runtime skips every call
 * and allocates nothing for it.
 *
 * <p>A delivery's story, per handler call: {@code processStarted} → {@code ProcessObservation.makeCurrent()}
 * around the handler → {@code handlerEnded} → {@code settled} with the {@link dev.switchboard.instrumentation.Outcome}
 * (acked, retry scheduled, dead-lettered, given back). A delivery settled without a handler call (a duplicate, a
 * skipped type, a malformed message sent to the dead letters) is told through {@code settledWithoutHandler}.
 */
package dev.switchboard.instrumentation;
