package dev.switchboard.spi;

import dev.switchboard.Payload;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * One received message, as a driver hands it to the core: the transport's headers, content type, body and
 * ordering key, untouched. The core reads the CloudEvents attributes from it (on a handler's thread, once),
 * and hands it back to {@link ReceiverDriver#ack}, {@link ReceiverDriver#nack} and
 * {@link ReceiverDriver#deadLetter}: implementers keep their native handle (a delivery tag, an offset, a
 * receipt handle) in their own implementation of this interface, which serves as the ack id.
 *
 * <p>Implementations must be cheap to build on the receiving thread (decode nothing there) and safe to read
 * from any thread once handed over.
 *
 * @since 0.1
 */
public interface InboundMessage {
    /**
     * Passes the transport's headers to {@code visitor} as text. Those whose name starts with the driver's
     * {@link BrokerDriver#attributePrefix()} are CloudEvents attributes; a driver may leave the others out.
     */
    void forEachHeader(BiConsumer<String, String> visitor);

    /** The transport's content type, or null. */
    String contentType();

    /** The payload as received. */
    Payload body();

    /**
     * The ordering key the transport itself carries (Kafka's record key), or null: the core then reads the
     * {@code partitionkey} attribute.
     */
    default String key() {
        return null;
    }

    /**
     * An id the transport gives this message, the same on every redelivery (a broker message id, or
     * {@code partition@offset}): the event id of a message that carries none, so that deduplication still works.
     */
    String transportId();

    /** The delivery attempt, 1 for the first, as far as the broker knows. */
    int attempt();

    /**
     * The event's time as the transport carries it outside the attributes (Kafka's record timestamp, when the
     * driver is told to carry the time there), or null: the core uses it only for a message without a
     * {@code time} attribute. Default null.
     *
     * @since 0.2
     */
    default OffsetDateTime eventTime() {
        return null;
    }

    /** The native message (a {@code ConsumerRecord}, an SQS {@code Message}), where the driver offers it. */
    default <T> Optional<T> unwrap(Class<T> type) {
        return Optional.empty();
    }
}
