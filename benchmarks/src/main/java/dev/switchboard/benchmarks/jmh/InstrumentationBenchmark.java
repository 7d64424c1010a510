package dev.switchboard.benchmarks.jmh;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Payload;
import dev.switchboard.PublishResult;
import dev.switchboard.benchmarks.DroppingSpanExporter;
import dev.switchboard.instrumentation.DeliveryContext;
import dev.switchboard.instrumentation.Instrumentation;
import dev.switchboard.instrumentation.Outcome;
import dev.switchboard.instrumentation.ProcessObservation;
import dev.switchboard.instrumentation.PublishContext;
import dev.switchboard.instrumentation.PublishObservation;
import dev.switchboard.micrometer.SwitchboardMetrics;
import dev.switchboard.opentelemetry.SwitchboardTracing;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the observability modules cost per event, without a broker: the hook's callbacks of one publish (started,
 * published) and of one handler call (started, made current, handler ended, settled), as the runtime calls them,
 * on one thread. {@code metrics}: {@link SwitchboardMetrics} on a {@link SimpleMeterRegistry}; {@code tracing-*}:
 * {@link SwitchboardTracing} over the OpenTelemetry SDK with a {@link BatchSpanProcessor} (defaults) and an
 * exporter that drops every span — sampler always off, parent-based 10 %, always on. The consumer side is handed
 * the envelope the producer side wrote its {@code traceparent} into, so it extracts and continues that context as
 * a real consumer would. Average time per event (publish + handling), in ns.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class InstrumentationBenchmark {
    @Param({"metrics", "tracing-off", "tracing-10", "tracing-on"})
    public String instrumentation;

    private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<String> GROUP = AttributeKey.stringKey("messaging.consumer.group.name");
    private static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    private static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    private static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    private static final AttributeKey<Long> BODY_SIZE = AttributeKey.longKey("messaging.message.body.size");
    private static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("cloudevents.event_type");
    private static final AttributeKey<String> EVENT_SOURCE = AttributeKey.stringKey("cloudevents.event_source");
    private static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("switchboard.delivery.attempt");
    private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private Instrumentation observer;
    private Tracer tracer;
    private Clock clock;
    private Counter sent;
    private Counter consumed;
    private Timer sendDuration;
    private Timer processDuration;
    private SdkTracerProvider tracerProvider;
    private final EventEnvelope event = EventEnvelope.builder().type("dev.switchboard.bench.event").source("/bench")
            .dataContentType("application/json").data(Payload.wrap(new byte[1024])).build();
    private final PublishResult result = new PublishResult(event.id(), "bench", "bench-0@1");

    @Setup(Level.Trial)
    public void setUp() {
        if (instrumentation.equals("metrics")) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            observer = new SwitchboardMetrics(registry);
            MeterRegistry floor = new SimpleMeterRegistry();
            clock = floor.config().clock();
            sent = floor.counter("sent");
            consumed = floor.counter("consumed");
            sendDuration = floor.timer("send");
            processDuration = floor.timer("process");
            return;
        }
        Sampler sampler = switch (instrumentation) {
            case "tracing-off" -> Sampler.alwaysOff();
            case "tracing-10" -> Sampler.parentBased(Sampler.traceIdRatioBased(0.1));
            default -> Sampler.alwaysOn();
        };
        tracerProvider = SdkTracerProvider.builder().setSampler(sampler)
                .addSpanProcessor(BatchSpanProcessor.builder(new DroppingSpanExporter()).build()).build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
        observer = SwitchboardTracing.create(sdk);
        tracer = sdk.getTracer("floor");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (tracerProvider != null) {
            tracerProvider.shutdown().join(10, TimeUnit.SECONDS);
        }
    }

    @Benchmark
    public Object publishAndHandle() {
        Publish publish = new Publish(event);
        PublishObservation sending = observer.publishStarted(publish);
        sending.published(result);
        Delivery delivery = new Delivery(publish.sent());
        ProcessObservation processing = observer.processStarted(delivery);
        try (ProcessObservation.Scope ignored = processing.makeCurrent()) {
            processing.handlerEnded(null);
        }
        processing.settled(Outcome.acked());
        return delivery;
    }

    /**
     * The floor under {@link #publishAndHandle}, the same tracer with no Switchboard code: a producer span and a
     * consumer span with the same attributes (at start: system, destination, operation name and type, group; on a
     * recording span: id, body size, type, source, attempt), the W3C context injected into a map and extracted from
     * it for the consumer span's parent, and the consumer span made current. What any OpenTelemetry messaging
     * instrumentation does per event at least. Meaningful for the {@code tracing-*} parameters only.
     */
    @Benchmark
    public Object sdkOnly() {
        if (tracer == null) {
            return micrometerOnly();
        }
        Span producer = tracer.spanBuilder("send bench").setSpanKind(SpanKind.PRODUCER)
                .setAttribute(SYSTEM, "kafka").setAttribute(DESTINATION, "bench")
                .setAttribute(OPERATION_NAME, "send").setAttribute(OPERATION_TYPE, "send").startSpan();
        if (producer.isRecording()) {
            producer.setAllAttributes(Attributes.of(MESSAGE_ID, event.id(), BODY_SIZE, 1024L, EVENT_TYPE, event.type(),
                    EVENT_SOURCE, event.source()));
        }
        Map<String, String> headers = new HashMap<>();
        W3CTraceContextPropagator.getInstance().inject(Context.root().with(producer), headers, Map::put);
        producer.end();
        Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), headers, MAP_GETTER);
        Span consumer = tracer.spanBuilder("process bench").setSpanKind(SpanKind.CONSUMER).setParent(parent)
                .setAttribute(SYSTEM, "kafka").setAttribute(DESTINATION, "bench").setAttribute(GROUP, "jmh")
                .setAttribute(OPERATION_NAME, "process").setAttribute(OPERATION_TYPE, "process").startSpan();
        if (consumer.isRecording()) {
            consumer.setAllAttributes(Attributes.of(MESSAGE_ID, event.id(), BODY_SIZE, 1024L, EVENT_TYPE, event.type(),
                    EVENT_SOURCE, event.source(), ATTEMPT, 1L));
        }
        try (io.opentelemetry.context.Scope ignored = parent.with(consumer).makeCurrent()) {
            consumer.end();
        }
        return headers;
    }

    /**
     * The floor under the {@code metrics} parameter: what the meters of one publish and one handling are in
     * Micrometer itself, found once — a counter and a timer for the publish, a timer and a counter for the handling,
     * each timed with the registry's clock.
     */
    private Object micrometerOnly() {
        long start = clock.monotonicTime();
        sent.increment();
        sendDuration.record(clock.monotonicTime() - start, TimeUnit.NANOSECONDS);
        start = clock.monotonicTime();
        processDuration.record(clock.monotonicTime() - start, TimeUnit.NANOSECONDS);
        consumed.increment();
        return sent;
    }

    /** A publish as the runtime presents it: the extensions set collected into the envelope to send. */
    private static final class Publish implements PublishContext {
        private final EventEnvelope envelope;
        private EventEnvelope.Builder changed;

        Publish(EventEnvelope envelope) {
            this.envelope = envelope;
        }

        @Override
        public String system() {
            return "kafka";
        }

        @Override
        public String topic() {
            return "bench";
        }

        @Override
        public EventEnvelope envelope() {
            return envelope;
        }

        @Override
        public void setExtension(String name, String value) {
            if (changed == null) {
                changed = envelope.toBuilder();
            }
            changed.extension(name, value);
        }

        EventEnvelope sent() {
            return changed == null ? envelope : changed.build();
        }
    }

    private record Delivery(EventEnvelope envelope) implements DeliveryContext {
        @Override
        public String system() {
            return "kafka";
        }

        @Override
        public String transportId() {
            return "bench-0@1";
        }

        @Override
        public String topic() {
            return "bench";
        }

        @Override
        public String group() {
            return "jmh";
        }

        @Override
        public int attempt() {
            return 1;
        }

        @Override
        public int maxAttempts() {
            return 5;
        }
    }
}
