package dev.switchboard.testkit.internal;

import dev.switchboard.EventEnvelope;
import dev.switchboard.spi.Delivery;

/** A delivery from a {@link GroupQueue}, remembering which queue and which delivery of the entry it is. */
record InMemoryDelivery(GroupQueue queue, GroupQueue.Taken taken) implements Delivery {
    @Override
    public EventEnvelope envelope() {
        return taken.envelope();
    }

    @Override
    public int attempt() {
        return taken.deliveryCount();
    }

    /** Identity: a delivery is one hand-out of a message, and a record's hash would hash the whole payload. */
    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
