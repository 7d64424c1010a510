/**
 * OpenTelemetry traces for Switchboard, on every broker alike: {@link dev.switchboard.opentelemetry.SwitchboardTracing}
 * is an {@link dev.switchboard.instrumentation.Instrumentation} registered with
 * {@code Messaging.builder().instrumentation(SwitchboardTracing.create(openTelemetry))}.
 *
 * <p>Spans follow the OpenTelemetry semantic conventions for messaging: {@code send <topic>} (PRODUCER) per
 * published event, {@code process <topic>} (CONSUMER) per handler call, parented to the producer's context (and
 * linked to it on request: {@code SwitchboardTracing.builder(otel).linkToProducer(true)}). The trace context travels inside the event as the CloudEvents distributed-tracing extensions
 * {@code traceparent} and {@code tracestate} — on Kafka the {@code ce_traceparent} header, on RabbitMQ the
 * {@code cloudEvents:traceparent} header, on SNS/SQS the {@code ce_traceparent} message attribute — so services
 * built on the CloudEvents SDKs, Dapr or Knative continue the same traces.
 *
 * <p>This module needs {@code opentelemetry-api} only (1.68 or later: it uses {@code Tracer.isEnabled()}); the
 * application brings the SDK (or the Java agent) that exports the spans.
 */
package dev.switchboard.opentelemetry;
