package dev.switchboard.benchmarks;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Payload;

/** The outbox benchmark's events: the harness's 1 KiB JSON ({@link EventBytes}) with partition key {@code key-<seq % keys>}. */
record KeyedEvents(int keys) {
    /** The event {@code seq}, stamped now. */
    EventEnvelope envelope(long seq) {
        return EventEnvelope.builder().type(SwitchboardSide.TYPE).dataContentType("application/json")
                .partitionKey("key-" + (seq % keys)).data(Payload.wrap(EventBytes.make(seq))).build();
    }
}
