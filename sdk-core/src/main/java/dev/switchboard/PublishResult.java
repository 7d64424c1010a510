package dev.switchboard;

import java.util.Objects;

/**
 * A publish the broker confirmed.
 *
 * @param eventId the envelope id that was published
 * @param topic the topic it went to
 * @param brokerReference what the broker calls it (a Kafka {@code partition@offset}, an SNS message id),
 *     or empty when the broker gives nothing
 * @since 0.1
 */
public record PublishResult(String eventId, String topic, String brokerReference) {
    public PublishResult {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(topic, "topic");
        brokerReference = brokerReference == null ? "" : brokerReference;
    }
}
