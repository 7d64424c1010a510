package dev.switchboard.spi;

import dev.switchboard.Payload;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * One event as a driver sends it: the CloudEvents binary-mode mapping the core made of an envelope, for the
 * driver to write into its transport. Built by the core; immutable and thread-safe.
 *
 * <p>Implementers of a driver: write {@link #forEachAttribute} as headers (or message attributes), the
 * {@link #contentType()} as the transport's content type, the {@link #body()} as the payload, and the
 * {@link #key()} where the transport orders by key (Kafka's record key, a FIFO message group). Nothing else:
 * the core owns the CloudEvents rules.
 *
 * @since 0.1
 */
public interface OutboundMessage {
    /** The event id ({@code id} attribute), for transports with a message id of their own. */
    String id();

    /** The event type ({@code type} attribute), for transports that route or filter by it. */
    String type();

    /** The event time in epoch milliseconds, or -1 when it has none; for transports with a timestamp field. */
    long epochMillis();

    /** The ordering key ({@code partitionkey} extension), or null. */
    String key();

    /** The payload's media type ({@code datacontenttype}), or null. */
    String contentType();

    /** The payload. */
    Payload body();

    /**
     * Passes every CloudEvents attribute but {@code datacontenttype} to {@code visitor}, as
     * {@code (prefix + name, value)}: {@code specversion}, {@code id}, {@code source}, {@code type}, then
     * {@code time}, {@code subject}, {@code dataschema} where set, then every extension (including
     * {@code partitionkey}) by name. No map is built; the prefixed names are built once per prefix.
     */
    void forEachAttribute(String prefix, BiConsumer<String, String> visitor);

    /** Payload plus attribute names and values, in bytes, roughly: what a transport's size limit sees. */
    long estimatedSize();

    /**
     * What the message was made from, where the driver can use it as is: the in-memory broker takes the
     * {@code dev.switchboard.EventEnvelope} back instead of decoding its own encoding.
     */
    default <T> Optional<T> unwrap(Class<T> type) {
        return Optional.empty();
    }
}
