package dev.switchboard.examples.checkout;

import dev.switchboard.instrumentation.Instrumentation;
import dev.switchboard.opentelemetry.SwitchboardTracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Traces of every service in this process, kept in memory: no network exporter. Each service has its own
 * OpenTelemetry SDK — an {@link SdkTracerProvider} whose resource's {@code service.name} is the service's
 * {@code switchboard.service-name} (one SDK has one resource) — and all of them end their spans into this one
 * collector, so that one order's spans across the services can be put back together.
 */
final class TraceCollector implements AutoCloseable {
    /** The resource attribute that names the service of a span. */
    static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

    private final Collection<SpanData> spans = new ConcurrentLinkedQueue<>();
    private final List<SdkTracerProvider> providers = new ArrayList<>();
    private final SpanExporter exporter = new SpanExporter() {
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
            return CompletableResultCode.ofSuccess(); // shared by every provider: the spans stay readable
        }
    };

    /** The traces of {@code service}: add it to that service's {@code Messaging.builder()}. */
    Instrumentation instrumentation(String service) {
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().toBuilder().put(SERVICE_NAME, service).build())
                .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .build();
        synchronized (providers) {
            providers.add(provider);
        }
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(provider)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        return SwitchboardTracing.create(sdk);
    }

    /** Every span ended so far, of every service. */
    List<SpanData> spans() {
        return List.copyOf(spans);
    }

    /** The service that recorded {@code span}. */
    static String service(SpanData span) {
        String name = span.getResource().getAttribute(SERVICE_NAME);
        return name != null ? name : "?";
    }

    /** Ends the providers; spans already ended stay readable. */
    @Override
    public void close() {
        synchronized (providers) {
            providers.forEach(provider -> provider.shutdown().join(10, TimeUnit.SECONDS));
        }
    }
}
