package dev.switchboard.rabbitmq.internal;

import com.rabbitmq.client.AMQP;
import dev.switchboard.Payload;
import dev.switchboard.spi.InboundMessage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * One message from a queue as the core reads it, properties and body untouched, with the coalescer of the channel
 * it came on (a delivery tag means nothing on another channel) and its tag there. Decodes nothing; immutable.
 *
 * <p>Its transport id is the {@code message-id}; without one (a foreign producer's), a name-based UUID of what
 * every redelivery keeps: the body, the timestamp and the headers but those the broker or Switchboard add on
 * redelivery and retry ({@code x-*} such as {@code x-death}, {@code switchboard-*}). Two identical messages from
 * such a producer share it, so deduplication takes the second for a duplicate of the first.
 */
record RabbitMqDelivery(AckCoalescer acks, AckCoalescer.Tag tag, AMQP.BasicProperties properties, Payload body,
                        int attempt) implements InboundMessage {
    /** The {@code cloudEvents:} headers, as text; other headers are no CloudEvents attributes and are left out. */
    @Override
    public void forEachHeader(BiConsumer<String, String> visitor) {
        AmqpMessages.headersOf(properties).forEach((name, value) -> {
            if (value != null && name.startsWith(AmqpMessages.PREFIX)) {
                visitor.accept(name, value.toString());
            }
        });
    }

    @Override
    public String contentType() {
        return properties.getContentType();
    }

    @Override
    public String transportId() {
        String messageId = properties.getMessageId();
        return messageId != null && !messageId.isBlank() ? messageId : contentId();
    }

    private String contentId() {
        StringBuilder stable = new StringBuilder().append(text(properties.getTimestamp()));
        new TreeMap<>(AmqpMessages.headersOf(properties)).forEach((name, value) -> {
            if (!name.startsWith("x-") && !name.startsWith("switchboard-")) {
                stable.append('|').append(name).append('=').append(text(value));
            }
        });
        byte[] tail = stable.toString().getBytes(StandardCharsets.UTF_8);
        byte[] content = Arrays.copyOf(body.sharedArray(), body.size() + tail.length);
        System.arraycopy(tail, 0, content, body.size(), tail.length);
        return UUID.nameUUIDFromBytes(content).toString();
    }

    /** A header value as text that is the same in every JVM (a {@code Date}'s own text depends on the time zone). */
    private static String text(Object value) {
        return value instanceof Date date ? Long.toString(date.getTime())
                : value instanceof byte[] bytes ? HexFormat.of().formatHex(bytes) : String.valueOf(value);
    }
}
