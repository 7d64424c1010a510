package dev.switchboard.spi;

import dev.switchboard.EventEnvelope;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Sends envelopes to a topic. Thread-safe.
 *
 * <p>Implementers: map each envelope onto the broker's protocol binding, send, and complete each future
 * only when the broker confirmed that entry (Kafka {@code acks=all}, RabbitMQ publisher confirm, SNS 200).
 * Must not retry: the portable layer decides. Must not keep the list. Complete a failed entry
 * exceptionally with the native error; the core classifies it with {@link BrokerDriver#classify}.
 *
 * @since 0.1
 */
public interface PublisherDriver {
    /** The most envelopes {@link #send} takes at once; the core splits larger batches. */
    int maxBatchSize();

    /**
     * The largest event the broker accepts, in bytes of payload plus attributes; the core rejects larger
     * events with {@code INVALID_ARGUMENT} before calling {@link #send}.
     */
    int maxMessageBytes();

    /**
     * Sends {@code batch} to {@code topic}.
     *
     * @return one future per envelope, in order, each completing with the broker's reference for the entry
     *     (may be empty, never null)
     */
    List<CompletableFuture<String>> send(String topic, List<EventEnvelope> batch);
}
