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
}
