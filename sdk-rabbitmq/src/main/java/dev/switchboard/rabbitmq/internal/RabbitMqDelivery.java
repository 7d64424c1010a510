package dev.switchboard.rabbitmq.internal;

import com.rabbitmq.client.AMQP;
import dev.switchboard.EventEnvelope;
import dev.switchboard.spi.CloudEventAttributes;
import dev.switchboard.spi.LazyDelivery;
import java.util.Map;
import java.util.Optional;

/**
 * One delivery from a queue, with what is needed to ack, retry or dead-letter it: the coalescer of the
 * channel it came on (a delivery tag means nothing on another channel) and its tag there. The envelope is
 * decoded on first use (see {@link LazyDelivery}) — not on amqp-client's dispatch thread — and the ordering key
 * is read from its header alone. Thread-safe.
 */
final class RabbitMqDelivery extends LazyDelivery {
    private static final String PARTITION_KEY_HEADER = AmqpMessages.PREFIX + EventEnvelope.PARTITION_KEY;

    private final AckCoalescer acks;
    private final AckCoalescer.Tag tag;
    private final AMQP.BasicProperties properties;
    private final byte[] body;
    private final String fallbackSource;

    RabbitMqDelivery(AckCoalescer acks, AckCoalescer.Tag tag, AMQP.BasicProperties properties, byte[] body,
                     String fallbackSource, int attempt) {
        super(attempt, null);
        this.acks = acks;
        this.tag = tag;
        this.properties = properties;
        this.body = body;
        this.fallbackSource = fallbackSource;
    }

    AckCoalescer acks() {
        return acks;
    }

    AckCoalescer.Tag tag() {
        return tag;
    }

    AMQP.BasicProperties properties() {
        return properties;
    }

    byte[] body() {
        return body;
    }

    /**
     * The {@code cloudEvents:partitionkey} header (its name matched as the decoder does: the prefix exactly, the
     * attribute name ignoring case), read
     * without decoding the rest; a structured-mode message carries it in its body, so that one is decoded.
     */
    @Override
    public Optional<String> partitionKey() {
        String contentType = properties.getContentType();
        if (contentType != null && contentType.startsWith(CloudEventAttributes.STRUCTURED_JSON)) {
            return envelope().partitionKey();
        }
        String key = null;
        for (Map.Entry<String, Object> header : AmqpMessages.headersOf(properties).entrySet()) {
            String name = header.getKey();
            if (header.getValue() != null && name.startsWith(AmqpMessages.PREFIX) && name.equalsIgnoreCase(PARTITION_KEY_HEADER)) {
                key = header.getValue().toString();
            }
        }
        return Optional.ofNullable(key);
    }

    @Override
    protected CloudEventAttributes.Read decode() {
        return AmqpMessages.read(properties, body, fallbackSource);
    }
}
