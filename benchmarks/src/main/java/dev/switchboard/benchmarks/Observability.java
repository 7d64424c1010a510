package dev.switchboard.benchmarks;

import dev.switchboard.Messaging;
import dev.switchboard.micrometer.SwitchboardMetrics;
import dev.switchboard.opentelemetry.SwitchboardTracing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the "instrumented" Switchboard side adds to its {@link Messaging}: {@link SwitchboardMetrics} on a real
 * {@link SimpleMeterRegistry}, and {@link SwitchboardTracing} over a real OpenTelemetry SDK — an
 * {@link SdkTracerProvider} that samples every span ({@link Sampler#alwaysOn()}), a {@link BatchSpanProcessor} with
 * the SDK's defaults (queue 2048, batches of 512, 5 s delay) and an exporter that drops what it is given, and the W3C
 * trace-context propagator, so that {@code traceparent} travels in every event and each consumer span is a child
 * of its producer span. Every span is built, ended and turned into {@link SpanData} for the exporter as it would be
 * in production; only the export itself (serialisation, network) is missing.
 *
 * <p>For profiling, {@code -Dbench.instrumentation=metrics} or {@code =tracing} registers only one of the two
 * (default {@code metrics,tracing}); the results then say so in the harness output only, so use it for
 * experiments, not for the published figures.
 *
 * <p>The exporter counts what it drops, which lets the harness check that the instrumentation really ran (spans
 * of both kinds, consumer spans parented by the context that travelled) and tell how many spans the batch
 * processor dropped because its queue was full.
 */
final class Observability implements AutoCloseable {
    /**
     * The batch processor logs a WARNING through java.util.logging each time its queue was full; the harness counts
     * the dropped spans itself ({@link Summary#dropped()}), so those lines are turned off. Held here so that the
     * logger and its level are not collected.
     */
    private static final Logger BATCH_PROCESSOR_LOG = Logger.getLogger(BatchSpanProcessor.class.getName());

    static {
        BATCH_PROCESSOR_LOG.setLevel(Level.SEVERE);
    }

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DroppingSpanExporter exporter = new DroppingSpanExporter();
    private final SdkTracerProvider tracerProvider;
    private final SwitchboardMetrics metrics;
    private final SwitchboardTracing tracing;

    Observability() {
        this.tracerProvider = SdkTracerProvider.builder()
                .setSampler(SAMPLING >= 1.0 ? Sampler.alwaysOn()
                        : Sampler.parentBased(Sampler.traceIdRatioBased(SAMPLING)))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                .build();
        OpenTelemetrySdk openTelemetry = OpenTelemetrySdk.builder()
                .setTracerProvider(tracerProvider)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        this.metrics = new SwitchboardMetrics(registry);
        this.tracing = SwitchboardTracing.create(openTelemetry);
    }

    /**
     * The share of traces recorded, {@code -Dbench.sampling} (default 1: every span, {@code Sampler.alwaysOn()});
     * below 1 a parent-based trace-id-ratio sampler, as a high-rate service would run: the producer decides, the
     * consumer follows the sampled flag that travelled in {@code traceparent}.
     */
    static final double SAMPLING = Double.parseDouble(System.getProperty("bench.sampling", "1"));

    /** Which of the two are registered: {@code -Dbench.instrumentation}, {@code metrics,tracing} unless set. */
    static final String MODE = System.getProperty("bench.instrumentation", "metrics,tracing");

    /** {@code builder} with the metrics and the tracing registered (in that order). */
    Messaging.Builder register(Messaging.Builder builder) {
        if (MODE.contains("metrics")) {
            builder.instrumentation(metrics);
        }
        if (MODE.contains("tracing")) {
            builder.instrumentation(tracing);
        }
        return builder;
    }

    /** What the instrumentation saw, after the batch processor has handed over every queued span. */
    Summary summary() {
        tracerProvider.forceFlush().join(10, TimeUnit.SECONDS);
        long published = (long) registry.find(SwitchboardMetrics.SENT_MESSAGES).counters().stream()
                .mapToDouble(Counter::count).sum();
        long handled = registry.find(SwitchboardMetrics.PROCESS_DURATION).timers().stream().mapToLong(Timer::count).sum();
        return new Summary(published, handled, exporter.producerSpans(), exporter.consumerSpans(),
                exporter.consumerSpansWithRemoteParent());
    }

    @Override
    public void close() {
        tracerProvider.shutdown().join(10, TimeUnit.SECONDS);
        registry.close();
    }

    /**
     * One side's totals over the whole broker run (warm-up included): publishes and handler calls as the meters
     * counted them, spans as the exporter received them.
     */
    record Summary(long published, long handled, long producerSpans, long consumerSpans, long consumerSpansWithParent) {
        /**
         * Spans the batch processor dropped (its queue was full): ended spans that never reached the exporter,
         * counted against the meters (0 unless both metrics and tracing are on).
         */
        long dropped() {
            if (!MODE.contains("metrics") || !MODE.contains("tracing")) {
                return 0;
            }
            if (SAMPLING < 1.0) {
                return 0; // unsampled spans are never exported: nothing to count against
            }
            return Math.max(0, published - producerSpans) + Math.max(0, handled - consumerSpans);
        }

        /** Why the run does not prove that metrics and traces were recorded, or null if it does. */
        String problem() {
            if (!MODE.equals("metrics,tracing")) {
                return null; // a profiling experiment with one of the two
            }
            if (published == 0 || handled == 0) {
                return "the meters counted " + published + " publishes and " + handled + " handler calls";
            }
            if (producerSpans == 0 || consumerSpans == 0) {
                return "the exporter received " + producerSpans + " producer and " + consumerSpans + " consumer spans";
            }
            if (consumerSpansWithParent == 0) {
                return "no consumer span had the producer's context as its parent: traceparent did not travel";
            }
            return null;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "[" + MODE + ", sampling " + SAMPLING + "] %,d publishes and %,d handler calls metered; spans exported: %,d producer,"
                    + " %,d consumer (%,d of them children of the traceparent that travelled); dropped by the batch"
                    + " processor: %,d (%.1f %%)", published, handled, producerSpans, consumerSpans,
                    consumerSpansWithParent, dropped(), 100.0 * dropped() / Math.max(1, published + handled));
        }
    }
}
