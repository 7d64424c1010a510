package dev.switchboard.aws.internal;

import dev.switchboard.EventEnvelope;
import dev.switchboard.spi.Delivery;
import java.util.Optional;

/**
 * One received SQS message.
 *
 * @param receiptHandle what SQS needs to delete the message or change its visibility
 * @param receivedAtNanos when it was received, to extend its visibility while its handler runs
 */
record SqsDelivery(String receiptHandle, EventEnvelope envelope, Optional<String> malformation, int attempt,
                   long receivedAtNanos) implements Delivery {

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
