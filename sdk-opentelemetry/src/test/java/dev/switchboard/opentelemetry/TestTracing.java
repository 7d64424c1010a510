package dev.switchboard.opentelemetry;

import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;

/**
 * A real OpenTelemetry SDK for one test: spans exported synchronously to memory on end, W3C trace context and
 * baggage propagation. Not registered globally.
 */
final class TestTracing implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
            .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
                    W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
            .build();

    /** A tracer of the application's own, for spans around and inside Switchboard's. */
    Tracer appTracer() {
        return sdk.getTracer("test-app");
    }

    /** Waits until {@code count} spans have ended; returns them all. */
    List<SpanData> awaitSpans(int count) {
        await().atMost(TIMEOUT).until(() -> exporter.getFinishedSpanItems().size() >= count);
        return exporter.getFinishedSpanItems();
    }

    static List<SpanData> ofKind(List<SpanData> spans, SpanKind kind) {
        return spans.stream().filter(span -> span.getKind() == kind).toList();
    }

    static SpanData only(List<SpanData> spans, SpanKind kind) {
        List<SpanData> matching = ofKind(spans, kind);
        if (matching.size() != 1) {
            throw new AssertionError("expected one " + kind + " span, found " + matching.size() + ": " + spans);
        }
        return matching.get(0);
    }

    @Override
    public void close() {
        sdk.close();
    }
}
