package dev.switchboard.spi;

import dev.switchboard.EventEnvelope;
import java.util.Optional;

/**
 * One received message, as the driver hands it to the core. The driver keeps whatever native handle it
 * needs to ack or nack it (typically by implementing this interface in its own class).
 *
 * @since 0.1
 */
public interface Delivery {
    /**
     * The envelope, built leniently: a foreign message without CloudEvents attributes still yields one
     * (see {@link CloudEventAttributes#read}).
     */
    EventEnvelope envelope();

    /**
     * The ordering key, as in {@link EventEnvelope#partitionKey()}; called on the receiving thread for every
     * delivery, so a driver that knows it without decoding the envelope (a Kafka record key) overrides this
     * and can decode lazily, on the handler's thread.
     */
    default Optional<String> partitionKey() {
        return envelope().partitionKey();
    }

    /** The delivery attempt, 1 for the first, as far as the broker knows. */
    int attempt();

    /**
     * Why the message could not be read as an envelope faithfully, if so; the core dead-letters it at once
     * with this reason.
     */
    default Optional<String> malformation() {
        return Optional.empty();
    }
}
