/**
 * Metrics and observations of Switchboard for Micrometer, on every broker alike; both are
 * {@link dev.switchboard.instrumentation.Instrumentation}s, registered with
 * {@code Messaging.builder().instrumentation(...)}:
 *
 * <ul>
 *   <li>{@link dev.switchboard.micrometer.SwitchboardMetrics}: counters, timers and gauges in a
 *       {@code MeterRegistry}, named after the OpenTelemetry messaging semantic conventions (such as
 *       {@code messaging.client.sent.messages} and {@code messaging.process.duration}) with OpenTelemetry attribute
 *       names as tags, plus Switchboard's own: retries, dead letters, skipped types, duplicates, in-flight
 *       deliveries and consumer lag.</li>
 *   <li>{@link dev.switchboard.micrometer.SwitchboardObservations}: an {@code Observation} per publish and per
 *       handler call in an {@code ObservationRegistry}, which micrometer-tracing turns into producer and consumer
 *       spans of one trace: the trace context travels in the event as the CloudEvents extensions
 *       {@code traceparent} and {@code tracestate}. Names and key values come from an overridable
 *       {@code ObservationConvention}.</li>
 * </ul>
 *
 * <p>Register one or the other (or both: the observations' own timers, made by Micrometer's meter handler, are
 * named {@code switchboard.publish} and {@code switchboard.process} and do not collide with the metrics). Tag
 * values are bounded: the event type tag keeps the first 100 distinct types (then {@code _other}); ids of events and
 * messages are never tags, only high-cardinality key values of observations. Every callback is quick, allocates
 * little and never blocks; both classes are thread-safe.
 *
 * <p>Depends on {@code switchboard-core} and {@code micrometer-core} only.
 */
package dev.switchboard.micrometer;
