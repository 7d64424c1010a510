package dev.switchboard;

import dev.switchboard.internal.publish.PublishPipeline;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Publishes events to topics. Obtained from {@link Messaging#publisher()}; thread-safe, one per
 * {@link Messaging}.
 *
 * <pre>{@code
 * publisher.publish("orders", new OrderPlaced("o-42", 1999));                  // typed, JSON by default
 * publisher.publish("orders", publisher.envelope(new OrderPlaced("o-42", 1999))
 *     .partitionKey("o-42").correlationId(requestId).build());                // typed, with attributes
 * }</pre>
 *
 * <p>A publish completes only when the broker confirmed it (Kafka {@code acks=all}, RabbitMQ publisher
 * confirm, SNS 200). Every failure — an invalid envelope, a payload the codec cannot encode, a missing topic
 * under {@code VALIDATE}, an unreachable broker, a missed {@code switchboard.publish.timeout} — completes the
 * stage exceptionally with a {@link MessagingException}; nothing invalid is ever sent. Publishing is not
 * retried by Switchboard: check {@link MessagingException#isRetryable()}.
 *
 * <p>Missing {@code id}, {@code source} and {@code time} are filled in: a time-ordered UUID (version 7),
 * {@code switchboard.source}, the current time.
 *
 * @since 0.1
 */
public final class Publisher {
    private final PublishPipeline pipeline;

    Publisher(PublishPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /**
     * Publishes a payload object, or an {@link EventEnvelope} as it is. The type of a payload object comes
     * from the {@link TypeRegistry}; its bytes from the {@link PayloadCodec}.
     */
    public CompletionStage<PublishResult> publish(String topic, Object event) {
        return pipeline.publish(requireTopic(topic), Objects.requireNonNull(event, "event"));
    }

    /** Publishes an envelope. */
    public CompletionStage<PublishResult> publish(String topic, EventEnvelope envelope) {
        return pipeline.publish(requireTopic(topic), Objects.requireNonNull(envelope, "envelope"));
    }

    /**
     * Publishes many payloads or envelopes, in batches the broker accepts; completes when every entry has an
     * outcome, never exceptionally. A failed entry does not fail its neighbours.
     */
    public CompletionStage<BatchPublishResult> publishAll(String topic, List<?> events) {
        return pipeline.publishAll(requireTopic(topic), List.copyOf(events));
    }

    /**
     * Publishes and waits for the broker's confirmation, at most {@code switchboard.publish.timeout}.
     *
     * @throws MessagingException classified as for {@link #publish(String, Object)}
     */
    public PublishResult publishAndWait(String topic, Object event) {
        return pipeline.await(publish(topic, event));
    }

    /**
     * An envelope builder for {@code payload}, with its type, encoded data, content type, source and time already set, to
     * add attributes such as a partition key before publishing.
     *
     * @throws MessagingException with {@link ErrorCode#INVALID_ARGUMENT} if the codec cannot encode it
     */
    public EventEnvelope.Builder envelope(Object payload) {
        return pipeline.envelopeFor(Objects.requireNonNull(payload, "payload"));
    }

    /**
     * The envelope {@link #publish(String, Object)} would send, for publishing later — from a transactional outbox,
     * say: a payload object encoded as publish encodes it (an envelope taken as it is), a missing source and time
     * filled in now, and the caller's current trace context (from the registered instrumentation, such as
     * OpenTelemetry tracing) added as extensions where the event carries none, so that the later publish continues
     * this trace. Publishes nothing.
     *
     * @throws MessagingException with {@link ErrorCode#INVALID_ARGUMENT} if the codec cannot encode it
     * @since 0.2
     */
    public EventEnvelope prepare(Object event) {
        return pipeline.prepareForLater(Objects.requireNonNull(event, "Publisher.prepare(event): event is null"));
    }

    private static String requireTopic(String topic) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("topic must be a non-empty name, was "
                    + (topic == null ? "null" : "\"" + topic + "\""));
        }
        return topic;
    }
}
