package dev.switchboard.spi;

import dev.switchboard.MessagingException;
import java.util.Optional;
import java.util.Set;

/**
 * One open connection to a broker. Thread-safe: the core calls it from many threads.
 *
 * @since 0.1
 */
public interface BrokerDriver extends AutoCloseable {
    /** What optional behaviour this broker offers. Constant for the life of the driver. */
    Set<Capability> capabilities();

    /**
     * The longest redelivery delay {@link SubscriberDriver#nack} can honour (SQS: 12 hours). A subscription whose
     * retry policy could ask for more fails at subscribe time; a longer explicit retry-after is capped.
     */
    default java.time.Duration maxRedeliveryDelay() {
        return java.time.Duration.ofDays(365);
    }

    /** The publishing side; the same instance on every call. */
    PublisherDriver publisher();

    /**
     * Makes sure {@code topic} exists, under the context's provisioning policy: create it, check it (failing
     * with {@code NOT_FOUND}), or do nothing.
     */
    void ensureTopic(String topic);

    /**
     * Opens a receiver for a group's deliveries, or for its dead letters. Provisions the topic, the group and
     * its dead-letter destination first, under the provisioning policy. The receiver must see every event
     * published after this method returns.
     */
    SubscriberDriver subscribe(ReceiverSpec spec);

    /**
     * Classifies a native failure. Must not throw; a {@link MessagingException} passes through unchanged.
     */
    MessagingException classify(Throwable failure);

    /** The native client, for what Switchboard does not cover. */
    default <T> Optional<T> unwrap(Class<T> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }

    /** Releases every connection. Idempotent. Receivers and publishers fail with {@code CANCELLED} after. */
    @Override
    void close();
}
