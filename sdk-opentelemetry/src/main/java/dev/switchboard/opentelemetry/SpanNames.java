package dev.switchboard.opentelemetry;

/**
 * The span names of one operation ({@code send <topic>}, {@code process <topic>}), remembered for the last topic
 * asked: a service publishes to, or a subscription receives from, the same topic event after event, so the name
 * is built once instead of once per span. Thread-safe: the remembered pair is one immutable object.
 */
final class SpanNames {
    private final String operation;
    private volatile Named last;

    SpanNames(String operation) {
        this.operation = operation;
    }

    String of(String topic) {
        Named named = last;
        if (named == null || !named.topic.equals(topic)) {
            named = new Named(topic, operation + " " + topic);
            last = named;
        }
        return named.name;
    }

    private record Named(String topic, String name) {
    }
}
