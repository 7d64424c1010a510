package dev.switchboard.opentelemetry;

import dev.switchboard.EventEnvelope;
import dev.switchboard.instrumentation.DeliveryContext;
import dev.switchboard.instrumentation.Instrumentation;
import dev.switchboard.instrumentation.Outcome;
import dev.switchboard.instrumentation.ProcessObservation;
import dev.switchboard.instrumentation.PropagationFields;
import dev.switchboard.instrumentation.PublishContext;
import dev.switchboard.instrumentation.PublishObservation;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerBuilder;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * OpenTelemetry traces for a {@link dev.switchboard.Messaging}: a producer span per published event, a consumer
 * span per handler call, and the trace context carried in the event's CloudEvents distributed-tracing extensions
 * ({@code traceparent}, {@code tracestate}), so that a publish and its handling are one trace on every broker — and
 * with CloudEvents producers and consumers that are not Switchboard (the CloudEvents SDKs, Dapr, Knative).
 *
 * <pre>{@code
 * Messaging messaging = Messaging.builder()
 *     .instrumentation(SwitchboardTracing.create(openTelemetry))
 *     .build();
 * }</pre>
 *
 * <p><b>Producer span</b> ({@link SpanKind#PRODUCER}, {@code send <topic>}), one per event, {@code publishAll}
 * included: started on the publishing thread when the publish begins, ended when the broker confirms it or the
 * publish fails (status ERROR, {@code error.type} the {@link dev.switchboard.ErrorCode}, the exception as an
 * event). Its parent is the caller's current span; without one, the context the event carries already (an event
 * received and published again, a dead letter replayed), which it then also links to when it carries one and the
 * caller has a span too. Its context is injected into the event, replacing the one it carried.
 *
 * <p><b>Consumer span</b> ({@link SpanKind#CONSUMER}, {@code process <topic>}), one per handler call (each
 * attempt its own): its parent is the context extracted from the event, so one trace runs from publish to handling;
 * with {@link Builder#linkToProducer(boolean)} it links to that context too (off by default: it is the parent
 * already). The span is current on the handler's thread while the handler runs (spans the handler starts are its
 * children; logs correlate). A handler's exception
 * is recorded on it (status ERROR, {@code error.type} the exception's class); the outcome is added when the delivery
 * is settled — a {@code retry} event with the attempt and delay, or a {@code dead_letter} event with the reason —
 * and the span ends. A delivery dead-lettered without a handler call (malformed, or of a type nobody handles
 * under {@link dev.switchboard.UnknownTypePolicy#DEAD_LETTER}) gets a consumer span of no length with its
 * {@code dead_letter} event; duplicates, skipped types and deliveries given back before their handler ran get
 * none: the metrics count those.
 *
 * <p><b>Cost.</b> The attributes the messaging conventions name for sampling decisions (system, destination,
 * operation name and type, consumer group) are set on the span builder, where a sampler sees them; the per-event
 * ones (message id, body size, CloudEvents type, source and subject, conversation id, attempt) only on a span that
 * records, in one call. With a tracer
 * that is disabled (the no-op tracer of {@link OpenTelemetry#noop()}) and no propagator, every callback returns at
 * once and allocates nothing; with a disabled tracer and a propagator, the context still travels, without spans.
 *
 * <p>Thread-safe and immutable; one instance may serve several {@code Messaging} instances.
 *
 * @since 0.2
 */
public final class SwitchboardTracing implements Instrumentation {
    /** The instrumentation scope name of the tracer: {@value}. */
    public static final String INSTRUMENTATION_NAME = "dev.switchboard";

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final boolean propagates;
    private final boolean linkToProducer;
    private final SpanNames sendNames = new SpanNames(TraceAttributes.OPERATION_SEND);
    private final SpanNames processNames = new SpanNames(TraceAttributes.OPERATION_PROCESS);

    private SwitchboardTracing(Builder builder) {
        TracerBuilder tracerBuilder = builder.openTelemetry.tracerBuilder(INSTRUMENTATION_NAME);
        String version = Version.VALUE;
        if (version != null) {
            tracerBuilder.setInstrumentationVersion(version);
        }
        this.tracer = tracerBuilder.build();
        this.propagator = builder.propagator != null ? builder.propagator
                : builder.openTelemetry.getPropagators().getTextMapPropagator();
        this.propagates = propagator != TextMapPropagator.noop();
        this.linkToProducer = builder.linkToProducer;
    }

    /** Tracing with {@code openTelemetry}'s tracer and text-map propagator (W3C trace context, as a rule). */
    public static SwitchboardTracing create(OpenTelemetry openTelemetry) {
        return builder(openTelemetry).build();
    }

    public static Builder builder(OpenTelemetry openTelemetry) {
        return new Builder(openTelemetry);
    }

    /** Starts the producer span of one event and writes its context into the event's extensions. */
    @Override
    public PublishObservation publishStarted(PublishContext publish) {
        boolean tracing = tracer.isEnabled();
        if (!tracing && !propagates) {
            return PublishObservation.NONE;
        }
        EventEnvelope envelope = publish.envelope();
        Context current = Context.current();
        Context parent = current;
        SpanContext link = SpanContext.getInvalid();
        if (propagates && !envelope.extensions().isEmpty()) {
            if (Span.fromContext(current).getSpanContext().isValid()) {
                link = Span.fromContext(propagator.extract(Context.root(), envelope, ExtensionCarrier.GETTER))
                        .getSpanContext();
            } else {
                parent = propagator.extract(current, envelope, ExtensionCarrier.GETTER);
            }
        }
        SpanBuilder builder = tracer.spanBuilder(sendNames.of(publish.topic()))
                .setSpanKind(SpanKind.PRODUCER)
                .setParent(parent)
                .setAttribute(TraceAttributes.MESSAGING_SYSTEM, TraceAttributes.producerSystem(publish.system()))
                .setAttribute(TraceAttributes.MESSAGING_DESTINATION_NAME, publish.topic())
                .setAttribute(TraceAttributes.MESSAGING_OPERATION_NAME, TraceAttributes.OPERATION_SEND)
                .setAttribute(TraceAttributes.MESSAGING_OPERATION_TYPE, TraceAttributes.OPERATION_SEND);
        if (link.isValid()) {
            builder.addLink(link);
        }
        Span span = builder.startSpan();
        TraceAttributes.addEventAttributes(span, envelope, 0);
        if (propagates) {
            ExtensionCarrier carrier = new ExtensionCarrier(publish);
            propagator.inject(parent.with(span), carrier, ExtensionCarrier.SETTER);
            carrier.clearStaleTraceState();
        }
        return new ProducerSpan(span);
    }

    /**
     * The current context's propagation fields as extensions, for an event published later on another thread (a
     * transactional outbox's): that publish's span is then a child of the span current now. Empty without a
     * propagator or a valid current span.
     */
    @Override
    public Map<String, String> currentContext() {
        Context current = Context.current();
        if (!propagates || !Span.fromContext(current).getSpanContext().isValid()) {
            return Map.of();
        }
        Map<String, String> fields = new HashMap<>();
        propagator.inject(current, fields, (carrier, field, value) -> {
            String name = PropagationFields.extensionName(field);
            if (carrier != null && name != null && value != null) {
                carrier.put(name, value);
            }
        });
        return fields;
    }

    /** Starts the consumer span of one handler call, as a child of the context the event carries. */
    @Override
    public ProcessObservation processStarted(DeliveryContext delivery) {
        if (!tracer.isEnabled() && !propagates) {
            return ProcessObservation.NONE;
        }
        return startConsumerSpan(delivery);
    }

    /**
     * A delivery dead-lettered without a handler call gets a consumer span of no length with its {@code dead_letter}
     * event; any other outcome without a handler (duplicate, skipped, given back) gets none.
     */
    @Override
    public void settledWithoutHandler(DeliveryContext delivery, Outcome outcome) {
        if (outcome.kind() != Outcome.Kind.DEAD_LETTERED || !tracer.isEnabled()) {
            return;
        }
        startConsumerSpan(delivery).settled(outcome);
    }

    private ConsumerSpan startConsumerSpan(DeliveryContext delivery) {
        EventEnvelope envelope = delivery.envelope();
        Context extracted = propagates ? propagator.extract(Context.root(), envelope, ExtensionCarrier.GETTER)
                : Context.root();
        SpanContext producer = Span.fromContext(extracted).getSpanContext();
        SpanBuilder builder = tracer.spanBuilder(processNames.of(delivery.topic()))
                .setSpanKind(SpanKind.CONSUMER)
                .setParent(extracted)
                .setAttribute(TraceAttributes.MESSAGING_SYSTEM, TraceAttributes.consumerSystem(delivery.system()))
                .setAttribute(TraceAttributes.MESSAGING_DESTINATION_NAME, delivery.topic())
                .setAttribute(TraceAttributes.MESSAGING_CONSUMER_GROUP_NAME, delivery.group())
                .setAttribute(TraceAttributes.MESSAGING_OPERATION_NAME, TraceAttributes.OPERATION_PROCESS)
                .setAttribute(TraceAttributes.MESSAGING_OPERATION_TYPE, TraceAttributes.OPERATION_PROCESS);
        if (linkToProducer && producer.isValid()) {
            builder.addLink(producer);
        }
        Span span = builder.startSpan();
        TraceAttributes.addEventAttributes(span, envelope, delivery.attempt());
        return new ConsumerSpan(span, extracted.with(span), delivery.attempt());
    }

    @Override
    public String toString() {
        return "SwitchboardTracing{tracer=" + INSTRUMENTATION_NAME + (Version.VALUE != null ? " " + Version.VALUE : "")
                + ", propagator=" + propagator + "}";
    }

    /**
     * Configures a {@link SwitchboardTracing}. Not thread-safe.
     *
     * @since 0.2
     */
    public static final class Builder {
        private final OpenTelemetry openTelemetry;
        private TextMapPropagator propagator;
        private boolean linkToProducer;

        private Builder(OpenTelemetry openTelemetry) {
            this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
        }

        /**
         * The propagator that writes the trace context into events and reads it back; by default
         * {@code openTelemetry.getPropagators().getTextMapPropagator()}. Each field it writes travels as a
         * CloudEvents extension of that name (lower-cased, only ASCII letters and digits kept).
         */
        public Builder propagator(TextMapPropagator propagator) {
            this.propagator = Objects.requireNonNull(propagator, "propagator");
            return this;
        }

        /**
         * Whether a consumer span also links to the producer's context, which is its parent already; default
         * false. Turn it on for a backend that follows links but not parents across services. A link is copied
         * with every span, a cost of its own at high rates.
         */
        public Builder linkToProducer(boolean linkToProducer) {
            this.linkToProducer = linkToProducer;
            return this;
        }

        public SwitchboardTracing build() {
            return new SwitchboardTracing(this);
        }
    }

    /** This artifact's version, the tracer's instrumentation scope version; null if the resource is missing. */
    static final class Version {
        static final String VALUE = load();

        private Version() {
        }

        private static String load() {
            try (InputStream in = SwitchboardTracing.class.getResourceAsStream("version.properties")) {
                if (in == null) {
                    return null;
                }
                Properties properties = new Properties();
                properties.load(in);
                String version = properties.getProperty("version");
                return version == null || version.isBlank() || version.startsWith("${") ? null : version;
            } catch (IOException e) {
                return null;
            }
        }
    }
}
