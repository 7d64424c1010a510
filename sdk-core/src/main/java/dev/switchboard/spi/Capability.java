package dev.switchboard.spi;

/**
 * Optional behaviour a driver declares. The conformance suite runs the tests of a capability only where it
 * is declared, and reports the others as skipped with the capability as the reason.
 *
 * @since 0.1
 */
public enum Capability {
    /** Deliveries with the same partition key reach one consumer in publish order, even with competing members. */
    ORDERING_BY_KEY,
    /**
     * {@link ReceiverDriver#nack} gives a message back to the broker, which holds it for the delay and keeps it
     * across a consumer crash. Without it the core waits out retry delays itself, holding the message (on
     * Kafka an uncommitted offset, so a crash still redelivers it).
     */
    REDELIVERY_DELAY,
    /** The broker counts delivery attempts itself, so the count survives a consumer restart. */
    NATIVE_ATTEMPT_COUNT,
    /** Payloads of at least 1 MiB round-trip. */
    LARGE_PAYLOADS,
    /** Dead letters can be read back and replayed to their topic. */
    DEAD_LETTER_REPLAY
}
