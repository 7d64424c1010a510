package dev.switchboard.kafka.internal;

import dev.switchboard.Connectivity;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Whether a Kafka client (producer or consumer) is connected, read from its network metrics: the open
 * connections ({@code connection-count}), and whether it ever opened or lost one ({@code connection-creation-total},
 * {@code connection-close-total}). A consumer's {@code poll} does not fail while the broker is down and a producer's
 * {@code send} only queues, so neither call tells; but when the broker goes, its sockets close at once and every
 * reconnect attempt is closed again, so the count stays at zero until the broker is back.
 *
 * <p>The metrics are looked up once, when the client is new; reading one is {@link Metric#metricValue()}, which
 * the client's metrics registry synchronises, so this never calls the (not thread-safe) consumer itself and costs
 * no round trip. A broker that stops answering without closing its sockets (a network partition) shows only once
 * the client's request timeout closes them.
 */
final class ClientConnectivity {
    private final Metric open;
    private final Metric created;
    private final Metric closed;

    /**
     * @param metrics the client's {@code metrics()}
     * @param group the client's network metric group: {@code producer-metrics} or {@code consumer-metrics}
     */
    ClientConnectivity(Map<MetricName, ? extends Metric> metrics, String group) {
        this.open = find(metrics, group, "connection-count");
        this.created = find(metrics, group, "connection-creation-total");
        this.closed = find(metrics, group, "connection-close-total");
    }

    private static Metric find(Map<MetricName, ? extends Metric> metrics, String group, String name) {
        for (Map.Entry<MetricName, ? extends Metric> metric : metrics.entrySet()) {
            if (metric.getKey().group().equals(group) && metric.getKey().name().equals(name)) {
                return metric.getValue();
            }
        }
        return null;
    }

    /**
     * Connected while a connection is open; disconnected when none is but the client has opened or tried one
     * (failed attempts count as closes); unknown before the first attempt, or where the metrics are missing.
     */
    Connectivity get() {
        if (open == null || created == null || closed == null) {
            return Connectivity.UNKNOWN;
        }
        if (value(open) > 0) {
            return Connectivity.CONNECTED;
        }
        return value(created) + value(closed) > 0 ? Connectivity.DISCONNECTED : Connectivity.UNKNOWN;
    }

    private static double value(Metric metric) {
        return metric.metricValue() instanceof Number number ? number.doubleValue() : 0;
    }
}
