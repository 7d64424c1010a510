package dev.switchboard.examples.checkout;

import dev.switchboard.Messaging;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * What the options ask to observe: the metrics endpoint ({@code --metrics-port}) and the in-process traces
 * ({@code --trace}); either, both or neither. Every service's {@code Messaging} is built through
 * {@link #instrument}, so each gets its own meters (tagged {@code service}) and its own tracer (resource
 * {@code service.name}).
 */
final class Observability implements AutoCloseable {
    private final MetricsEndpoint metrics;
    private final TraceCollector traces;

    private Observability(MetricsEndpoint metrics, TraceCollector traces) {
        this.metrics = metrics;
        this.traces = traces;
    }

    /** Nothing observed. */
    static Observability none() {
        return new Observability(null, null);
    }

    /**
     * Serves metrics on {@code 127.0.0.1:metricsPort} unless it is negative (0 picks a free port), and collects
     * traces if {@code trace}.
     */
    static Observability of(int metricsPort, boolean trace) {
        try {
            return new Observability(metricsPort >= 0 ? MetricsEndpoint.serve(metricsPort) : null,
                    trace ? new TraceCollector() : null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on 127.0.0.1:" + metricsPort, e);
        }
    }

    /** Adds the meters and the tracer of {@code service} to its builder. */
    Messaging.Builder instrument(String service, Messaging.Builder builder) {
        if (metrics != null) {
            builder.instrumentation(metrics.instrumentation(service));
        }
        if (traces != null) {
            builder.instrumentation(traces.instrumentation(service));
        }
        return builder;
    }

    /** Reports {@code messaging}'s health at {@code /health}, under {@code service}. */
    void register(String service, Messaging messaging) {
        if (metrics != null) {
            metrics.register(service, messaging);
        }
    }

    Optional<MetricsEndpoint> metrics() {
        return Optional.ofNullable(metrics);
    }

    Optional<TraceCollector> traces() {
        return Optional.ofNullable(traces);
    }

    /** Stops the endpoint and the tracers. */
    @Override
    public void close() {
        if (traces != null) {
            traces.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }
}
