package dev.switchboard.micrometer;

import static dev.switchboard.micrometer.Connections.connect;
import static dev.switchboard.micrometer.Connections.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.Subscription;
import dev.switchboard.inmemory.InMemoryBroker;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With micrometer-tracing over the OpenTelemetry SDK, as a Spring Boot application has it: a publish and its
 * handler call are a producer and a consumer span of the caller's trace, the trace context carried in the event.
 */
class TracingTest {
    private final InMemoryBroker broker = InMemoryBroker.create();
    private final List<SpanData> spans = new CopyOnWriteArrayList<>();
    private final SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(new Collecting(spans))).build();

    @AfterEach
    void close() {
        tracerProvider.close();
        broker.close();
    }

    @Test
    void aPublishAndItsHandlerCallAreSpansOfTheCallersTrace() {
        io.opentelemetry.api.trace.Tracer otel = tracerProvider.get("test");
        OtelTracer tracer = new OtelTracer(otel, new OtelCurrentTraceContext(), event -> { });
        OtelPropagator propagator = new OtelPropagator(
                ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel);
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                new DefaultTracingObservationHandler(tracer)));
        AtomicReference<EventEnvelope> received = new AtomicReference<>();
        AtomicReference<String> traceInHandler = new AtomicReference<>();

        try (Messaging messaging = connect(broker, new SwitchboardObservations(registry))) {
            messaging.subscribe(Subscription.to("orders").group("billing")
                    .on("order.placed", String.class, (text, ctx) -> {
                        traceInHandler.set(tracer.currentSpan().context().traceId());
                        received.set(ctx.envelope());
                    }));
            Observation request = Observation.start("checkout", registry);
            try (Observation.Scope scope = request.openScope()) {
                messaging.publisher().publishAndWait("orders", event("order.placed", "o-1"));
            } finally {
                request.stop();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> spans.size() == 3);
        }

        SpanData checkout = span("checkout");
        SpanData send = span("send orders");
        SpanData process = span("process orders");
        assertThat(send.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(List.of(send.getTraceId(), process.getTraceId(), traceInHandler.get()))
                .containsOnly(checkout.getTraceId());
        assertThat(send.getParentSpanId()).isEqualTo(checkout.getSpanId());
        assertThat(process.getParentSpanId()).as("the consumer span continues the producer span")
                .isEqualTo(send.getSpanId());
        assertThat(received.get().traceParent()).hasValueSatisfying(traceparent -> assertThat(traceparent)
                .contains(checkout.getTraceId(), send.getSpanId()));
        assertThat(process.getAttributes().asMap()).anySatisfy((key, value) -> {
            assertThat(key.getKey()).isEqualTo("messaging.consumer.group.name");
            assertThat(value).isEqualTo("billing");
        });
    }

    private SpanData span(String name) {
        return spans.stream().filter(s -> s.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans));
    }

    /** Keeps every span ended. */
    private static final class Collecting implements SpanExporter {
        private final List<SpanData> spans;

        Collecting(List<SpanData> spans) {
            this.spans = spans;
        }

        @Override
        public CompletableResultCode export(Collection<SpanData> ended) {
            spans.addAll(ended);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
