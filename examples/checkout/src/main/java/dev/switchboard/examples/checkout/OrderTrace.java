package dev.switchboard.examples.checkout;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One order's trace: the spans of the trace that its first event started, across every service, as a tree
 * (parent before children, siblings by start time). The order is found by its correlation id, which
 * {@code SwitchboardTracing} records as {@code messaging.message.conversation_id} on every span.
 */
final class OrderTrace {
    static final AttributeKey<String> CONVERSATION_ID = AttributeKey.stringKey("messaging.message.conversation_id");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("switchboard.delivery.attempt");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("switchboard.delivery.outcome");
    static final AttributeKey<Long> RETRY_DELAY_MS = AttributeKey.longKey("switchboard.retry.delay_ms");
    static final AttributeKey<String> DEAD_LETTER_REASON = AttributeKey.stringKey("switchboard.dead_letter.reason");
    static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");

    /** One span in the tree, with its depth (0 for the root) and its times relative to the trace's start. */
    record Row(SpanData span, String service, int depth, double startMs, double durationMs) {
        String name() {
            return span.getName();
        }

        String kind() {
            return span.getKind().name();
        }

        Optional<Long> attempt() {
            return Optional.ofNullable(span.getAttributes().get(ATTEMPT));
        }

        Optional<String> outcome() {
            return Optional.ofNullable(span.getAttributes().get(OUTCOME));
        }

        /** What happened on the span beyond its name: attempt, outcome, exceptions, retries, dead letters. */
        String details() {
            List<String> parts = new ArrayList<>();
            attempt().ifPresent(a -> parts.add("attempt " + a));
            outcome().ifPresent(parts::add);
            for (EventData event : span.getEvents()) {
                switch (event.getName()) {
                    case "exception" -> parts.add("threw " + simpleName(event.getAttributes().get(EXCEPTION_TYPE)));
                    case "retry" -> parts.add("retry in " + event.getAttributes().get(RETRY_DELAY_MS) + " ms");
                    case "dead_letter" -> parts.add("dead letter (" + event.getAttributes().get(DEAD_LETTER_REASON) + ")");
                    default -> parts.add(event.getName());
                }
            }
            if (span.getStatus().getStatusCode() == StatusCode.ERROR && span.getEvents().isEmpty()) {
                parts.add("ERROR");
            }
            return String.join(", ", parts);
        }

        private static String simpleName(String className) {
            return className == null ? "?" : className.substring(className.lastIndexOf('.') + 1);
        }
    }

    private final String orderId;
    private final String traceId;
    private final List<Row> rows;
    private final double durationMs;
    private final int elsewhere;

    private OrderTrace(String orderId, String traceId, List<Row> rows, double durationMs, int elsewhere) {
        this.orderId = orderId;
        this.traceId = traceId;
        this.rows = List.copyOf(rows);
        this.durationMs = durationMs;
        this.elsewhere = elsewhere;
    }

    /**
     * The trace of {@code orderId} among {@code spans}: the trace of the earliest span that carries the order's
     * correlation id; empty when no span does.
     */
    static Optional<OrderTrace> of(Collection<SpanData> spans, String orderId) {
        Optional<SpanData> first = spans.stream()
                .filter(span -> orderId.equals(span.getAttributes().get(CONVERSATION_ID)))
                .min(Comparator.comparingLong(SpanData::getStartEpochNanos));
        if (first.isEmpty()) {
            return Optional.empty();
        }
        String traceId = first.get().getTraceId();
        List<SpanData> inTrace = spans.stream().filter(span -> span.getTraceId().equals(traceId)).toList();
        int elsewhere = (int) spans.stream()
                .filter(span -> !span.getTraceId().equals(traceId) && orderId.equals(span.getAttributes().get(CONVERSATION_ID)))
                .count();
        Set<String> ids = new LinkedHashSet<>();
        inTrace.forEach(span -> ids.add(span.getSpanId()));
        Map<String, List<SpanData>> children = new HashMap<>();
        List<SpanData> roots = new ArrayList<>();
        for (SpanData span : inTrace) {
            if (span.getParentSpanContext().isValid() && ids.contains(span.getParentSpanId())) {
                children.computeIfAbsent(span.getParentSpanId(), id -> new ArrayList<>()).add(span);
            } else {
                roots.add(span);
            }
        }
        long start = inTrace.stream().mapToLong(SpanData::getStartEpochNanos).min().orElseThrow();
        long end = inTrace.stream().mapToLong(SpanData::getEndEpochNanos).max().orElseThrow();
        List<Row> rows = new ArrayList<>();
        roots.sort(Comparator.comparingLong(SpanData::getStartEpochNanos));
        for (SpanData root : roots) {
            addTree(root, 0, start, children, rows);
        }
        return Optional.of(new OrderTrace(orderId, traceId, rows, millis(end - start), elsewhere));
    }

    private static void addTree(SpanData span, int depth, long traceStart, Map<String, List<SpanData>> children, List<Row> rows) {
        rows.add(new Row(span, TraceCollector.service(span), depth, millis(span.getStartEpochNanos() - traceStart),
                millis(span.getEndEpochNanos() - span.getStartEpochNanos())));
        List<SpanData> below = new ArrayList<>(children.getOrDefault(span.getSpanId(), List.of()));
        below.sort(Comparator.comparingLong(SpanData::getStartEpochNanos));
        for (SpanData child : below) {
            addTree(child, depth + 1, traceStart, children, rows);
        }
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }

    String orderId() {
        return orderId;
    }

    String traceId() {
        return traceId;
    }

    /** The spans, depth first: each parent before its children, siblings by start time. */
    List<Row> rows() {
        return rows;
    }

    /** From the first span's start to the last span's end. */
    double durationMs() {
        return durationMs;
    }

    /** The services in the order they first appear in the tree. */
    List<String> services() {
        return rows.stream().map(Row::service).distinct().toList();
    }

    /** Whether a delivery of this order was retried (a {@code retry} event on a span). */
    boolean hasRetry() {
        return rows.stream().anyMatch(row -> row.span().getEvents().stream().anyMatch(e -> e.getName().equals("retry")));
    }

    /** Spans of this order in other traces (none unless an event of it was published outside its flow). */
    int spansInOtherTraces() {
        return elsewhere;
    }

    /**
     * The trace as text: a header line, then one line per span with its start offset and duration in ms, its
     * service, its name indented by depth, its kind and what happened on it.
     */
    String summary(String title) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "trace %s: %s, %d spans, %s, %.1f ms%n", traceId, title, rows.size(),
                String.join(" → ", services()), durationMs));
        int serviceWidth = Math.max("service".length(), rows.stream().mapToInt(r -> r.service().length()).max().orElse(0));
        text.append(String.format(Locale.ROOT, "  %9s %9s  %-" + serviceWidth + "s  %s%n", "start ms", "dur ms", "service", "span"));
        for (Row row : rows) {
            String indent = row.depth() == 0 ? "" : "  ".repeat(row.depth() - 1) + "└ ";
            String details = row.details();
            text.append(String.format(Locale.ROOT, "  %9.2f %9.2f  %-" + serviceWidth + "s  %s%s %s%s%n", row.startMs(),
                    row.durationMs(), row.service(), indent, row.name(), row.kind(), details.isEmpty() ? "" : "  " + details));
        }
        if (elsewhere > 0) {
            text.append(String.format(Locale.ROOT, "  (%d more spans of this order in other traces)%n", elsewhere));
        }
        return text.toString();
    }
}
