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
