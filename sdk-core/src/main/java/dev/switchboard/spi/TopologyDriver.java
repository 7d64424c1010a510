package dev.switchboard.spi;

/**
 * The provisioning primitives of a broker. The core applies {@code switchboard.provisioning} over them
 * ({@code create}: create what is missing; {@code validate}: fail with {@code NOT_FOUND} naming what is
 * missing; {@code none}: call nothing) and remembers what it has provisioned, so drivers keep no policy and
 * no cache. Calls block, bounded by {@link DriverContext#connectTimeout()}; failures are thrown native.
 *
 * @since 0.1
 */
public interface TopologyDriver {
    /**
     * Whether these calls answer at once, with no I/O (the in-memory broker): then the core provisions a topic on
     * the publisher's own thread, so that a first publish the broker confirms at once is complete when
     * {@code publish()} returns. Otherwise a publish's provisioning runs on a core thread and the publish waits
     * for it without holding its caller. Default false.
     *
     * @since 0.2
     */
    default boolean answersAtOnce() {
        return false;
    }

    /** Whether {@code topic} exists. */
    boolean topicExists(String topic);

    /** Creates {@code topic}; succeeds if it exists already. */
    void createTopic(String topic);

    /**
     * Whether what {@code spec} reads from exists: the group's queue or subscription and its dead-letter
     * destination, or for a dead-letter reader the dead-letter destination.
     */
    boolean receiverExists(ReceiverSpec spec);

    /**
     * Creates what {@code spec} reads from (see {@link #receiverExists}), bound to its topic so that it sees
     * every event published after this returns; succeeds if it exists already.
     */
    void createReceiver(ReceiverSpec spec);
}
