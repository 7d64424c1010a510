package dev.switchboard.instrumentation;

import dev.switchboard.EventContext;

/**
 * One delivery as instrumentation sees it: what its handler sees, and where it came from. Valid until the
 * delivery is settled.
 *
 * @since 0.2
 */
public interface DeliveryContext extends EventContext {
    /** The provider's name, such as {@code kafka}: the messaging system. */
    String system();

    /** The broker's id of the message (a Kafka {@code topic-partition@offset}, an AMQP message id, an SQS message id). */
    String transportId();
}
