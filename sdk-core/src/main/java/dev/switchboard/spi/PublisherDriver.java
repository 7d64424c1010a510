package dev.switchboard.spi;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Sends wire messages to a topic. Thread-safe.
 *
 * <p>Implementers: write each message onto the transport (see {@link OutboundMessage}), send, and complete
 * each future only when the broker confirmed that entry (Kafka {@code acks=all}, RabbitMQ publisher confirm,
 * SNS 200). Must not block the caller on the network, must not retry (the core decides), must not keep the
 * list. Complete a failed entry exceptionally with the native error: the core classifies it with
 * {@link BrokerDriver#classify}.
 *
 * @since 0.1
 */
public interface PublisherDriver {
    /** How the core may batch {@link #send} calls; constant. */
    Batching batching();

    /**
     * The largest message the broker accepts, in bytes of payload plus attributes
     * ({@link OutboundMessage#estimatedSize()}); the core rejects larger events with {@code INVALID_ARGUMENT}
     * before calling {@link #send}.
     */
    int maxMessageBytes();

    /**
     * Sends {@code batch} (at most {@link Batching#maxBatchSize()} messages) to {@code topic}.
     *
     * @return one future per message, in order, each completing with the broker's reference for the entry
     *     (may be empty, never null)
     */
    List<CompletableFuture<String>> send(String topic, List<OutboundMessage> batch);
}
