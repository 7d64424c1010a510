package dev.switchboard.spi;

import java.util.Objects;
import java.util.Set;

/**
 * What a {@link ReceiverDriver} receives from.
 *
 * @param topic the topic
 * @param group the group (subscription name)
 * @param deadLetterDestination the group's dead-letter destination, by default {@code <topic>.<group>.dlq}
 * @param source whether to read the group's deliveries or its dead letters
 * @param maxInFlight the most deliveries the core will hold unacknowledged at once; size prefetch buffers
 *     from it
 * @param eventTypes the event types the subscription handles, when it asked the broker to filter by type
 *     ({@code Subscription.Builder#onlyHandledTypes}); empty means every type. A driver that can filter on the
 *     broker does; one that cannot delivers everything and the core skips what no handler takes.
 * @since 0.1
 */
public record ReceiverSpec(String topic, String group, String deadLetterDestination, Source source, int maxInFlight,
                           Set<String> eventTypes) {
    public ReceiverSpec {
        eventTypes = Set.copyOf(eventTypes);
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(deadLetterDestination, "deadLetterDestination");
        Objects.requireNonNull(source, "source");
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be >= 1, was " + maxInFlight);
        }
    }

    /** A spec for every event type. */
    public ReceiverSpec(String topic, String group, String deadLetterDestination, Source source, int maxInFlight) {
        this(topic, group, deadLetterDestination, source, maxInFlight, Set.of());
    }

    /** Which stream of the group a receiver reads. */
    public enum Source {
        /** The events published to the topic. */
        SUBSCRIPTION,
        /** The group's dead letters. */
        DEAD_LETTERS
    }
}
