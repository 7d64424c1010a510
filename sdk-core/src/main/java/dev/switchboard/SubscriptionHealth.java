package dev.switchboard;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The health of one subscription, a snapshot.
 *
 * @param topic the topic
 * @param group the group
 * @param state where it is in its life
 * @param cause for {@link SubscriptionState#RECOVERING} and {@link SubscriptionState#FAILED}, the last failure, as
 *     text (never a secret: errors name keys and endpoints, not values)
 * @param sinceLastReceive time since the last receive that succeeded (with or without messages); empty before the
 *     first
 * @param lag the group's backlog as the broker counts it: on Kafka the end offsets minus the group's committed
 *     offsets (deliveries in flight included), on RabbitMQ the messages ready in the group queue (those delivered and
 *     not yet acked are {@code inFlight}), on SQS the approximate visible plus not visible messages, in memory the
 *     group's entries not yet acked. Read in the background at most once a second, so it may be a second old; empty
 *     before the first read completes, when a read fails, and where the broker cannot tell
 * @param inFlight deliveries received and not yet settled
 * @since 0.2
 */
public record SubscriptionHealth(String topic, String group, SubscriptionState state, Optional<String> cause,
                                 Optional<Duration> sinceLastReceive, OptionalLong lag, int inFlight) {
    public SubscriptionHealth {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(sinceLastReceive, "sinceLastReceive");
        Objects.requireNonNull(lag, "lag");
    }
}
