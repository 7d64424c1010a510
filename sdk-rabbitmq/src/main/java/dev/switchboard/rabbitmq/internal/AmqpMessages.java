package dev.switchboard.rabbitmq.internal;

import com.rabbitmq.client.AMQP;
import dev.switchboard.EventEnvelope;
import dev.switchboard.spi.CloudEventAttributes;
import dev.switchboard.spi.MessageReader;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;

/**
 * The envelope on AMQP 0-9-1: CloudEvents attributes and extensions as headers with the AMQP binding's
 * {@code cloudEvents:} prefix, {@code datacontenttype} as the content-type property, the id as message-id,
 * the time as timestamp, persistent delivery. Reading falls back to message-id for a message without
 * CloudEvents headers.
 */
final class AmqpMessages {
    static final String PREFIX = "cloudEvents:";
    /** Our own count of attempts made before this copy of the message was published (retries). */
    static final String ATTEMPT_HEADER = "switchboard-attempt";
    /** The publisher-confirm sequence number, so that a returned (unroutable) message finds its publish. */
    static final String SEQUENCE_HEADER = "switchboard-publish-seq";
    /** The count quorum queues keep of earlier deliveries of a message. */
    static final String DELIVERY_COUNT_HEADER = "x-delivery-count";
    private static final int PERSISTENT = 2;

    private AmqpMessages() {
    }

    /** Properties for {@code envelope} but the headers (see {@link #headers}), which the publisher completes. */
    static AMQP.BasicProperties.Builder properties(EventEnvelope envelope) {
        return new AMQP.BasicProperties.Builder()
                .contentType(envelope.dataContentType().orElse(null))
                .messageId(envelope.id())
                .timestamp(envelope.time() == null ? null : Date.from(envelope.time().toInstant()))
                .deliveryMode(PERSISTENT);
    }

    /** Headers for {@code envelope}, in a new mutable map; {@code carried} are headers of an earlier copy to keep (x-death…). */
    static Map<String, Object> headers(EventEnvelope envelope, Map<String, Object> carried) {
        Map<String, Object> headers = new HashMap<>(carried);
        headers.keySet().removeIf(name -> name.startsWith(PREFIX));
        CloudEventAttributes.forEachHeader(envelope, PREFIX, headers::put);
        return headers;
    }

    /** Decodes a message; {@code fallbackSource} is the source of a message that has none ({@code rabbitmq:<queue>}). */
    static CloudEventAttributes.Read read(AMQP.BasicProperties properties, byte[] body, String fallbackSource) {
        MessageReader reader = CloudEventAttributes.reader(PREFIX);
        headersOf(properties).forEach((name, value) -> {
            if (value != null && name.startsWith(PREFIX)) {
                reader.header(name, value.toString());
            }
        });
        return reader.read(properties.getContentType(), body == null ? new byte[0] : body, properties::getMessageId,
                fallbackSource);
    }

    /** The attempt this delivery is: attempts before this copy was published, plus the queue's redeliveries. */
    static int attempt(AMQP.BasicProperties properties, boolean redelivered) {
        Map<String, Object> headers = headersOf(properties);
        int base = number(headers.get(ATTEMPT_HEADER), 1);
        Object count = headers.get(DELIVERY_COUNT_HEADER);
        return base + (count != null ? number(count, 0) : (redelivered ? 1 : 0));
    }

    static Map<String, Object> headersOf(AMQP.BasicProperties properties) {
        return properties.getHeaders() == null ? Map.of() : properties.getHeaders();
    }

    private static int number(Object value, int fallback) {
        if (value instanceof Number n) {
            return n.intValue();
        }
        try {
            return value == null ? fallback : Integer.parseInt(value.toString());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
