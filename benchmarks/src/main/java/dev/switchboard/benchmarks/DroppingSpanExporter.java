package dev.switchboard.benchmarks;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.atomic.LongAdder;

/**
 * An exporter that drops every batch it is given, counting its spans by kind: what the benchmarks run the
 * OpenTelemetry SDK with, so that every span is built and handed over as in production, without the export itself
 * (serialisation, network). Thread-safe.
 */
public final class DroppingSpanExporter implements SpanExporter {
    private final LongAdder producer = new LongAdder();
    private final LongAdder consumer = new LongAdder();
    private final LongAdder consumerWithRemoteParent = new LongAdder();

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        long producers = 0;
        long consumers = 0;
        long parented = 0;
        for (SpanData span : spans) {
            if (span.getKind() == SpanKind.PRODUCER) {
                producers++;
            } else if (span.getKind() == SpanKind.CONSUMER) {
                consumers++;
                if (span.getParentSpanContext().isRemote() && span.getParentSpanContext().isValid()) {
                    parented++;
                }
            }
        }
        producer.add(producers);
        consumer.add(consumers);
        consumerWithRemoteParent.add(parented);
        return CompletableResultCode.ofSuccess();
    }

    /** Producer spans received so far. */
    public long producerSpans() {
        return producer.sum();
    }

    /** Consumer spans received so far. */
    public long consumerSpans() {
        return consumer.sum();
    }

    /** Consumer spans whose parent is a valid remote context: the producer's, carried in the event. */
    public long consumerSpansWithRemoteParent() {
        return consumerWithRemoteParent.sum();
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
