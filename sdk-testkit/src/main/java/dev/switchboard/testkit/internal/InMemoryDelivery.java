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
}
