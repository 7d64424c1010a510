package dev.switchboard.rabbitmq.internal;

import com.rabbitmq.client.AMQP;
import dev.switchboard.Payload;
import dev.switchboard.spi.InboundMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Date;
import java.util.HexFormat;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * One message from a queue as the core reads it, the AMQP properties and body untouched, with what settling it
 * takes: the coalescer of the channel it came on (a delivery tag means nothing on another channel) and its tag
 * there. Built on amqp-client's dispatch thread, where nothing is decoded; immutable, so safe to read anywhere.
 *
 * <p>Its transport id is the {@code message-id} property. A message without one (a foreign producer's) gets an
 * id derived from what stays the same on every redelivery of it: a SHA-256 of the body, the timestamp property
 * and the headers but those that the broker or Switchboard add on redelivery and retry ({@code x-*}, such as
 * {@code x-death} and {@code x-delivery-count}; {@code switchboard-*}). So a requeued message, or one back from a retry queue, keeps its id; but two identical
 * messages from such a producer share it too, and deduplication takes the second for a duplicate of the first.
 */
final class RabbitMqDelivery implements InboundMessage {
    private final AckCoalescer acks;
    private final AckCoalescer.Tag tag;
    private final AMQP.BasicProperties properties;
    private final Payload body;
    private final int attempt;

    RabbitMqDelivery(AckCoalescer acks, AckCoalescer.Tag tag, AMQP.BasicProperties properties, byte[] body, int attempt) {
        this.acks = acks;
        this.tag = tag;
        this.properties = properties;
        this.body = Payload.wrap(body);
        this.attempt = attempt;
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
    public Payload body() {
        return body;
    }

    @Override
    public String transportId() {
        String messageId = properties.getMessageId();
        return messageId != null && !messageId.isBlank() ? messageId : contentId();
    }

    @Override
    public int attempt() {
        return attempt;
    }

    private String contentId() {
        StringBuilder stable = new StringBuilder().append(body.size()).append('|').append(text(properties.getTimestamp()));
        new TreeMap<>(AmqpMessages.headersOf(properties)).forEach((name, value) -> {
            if (!name.startsWith("x-") && !name.startsWith("switchboard-")) {
                stable.append('|').append(name).append('=').append(text(value));
            }
        });
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(body.sharedArray());
            digest.update(stable.toString().getBytes(StandardCharsets.UTF_8));
            return "amqp-sha256:" + HexFormat.of().formatHex(digest.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** A header value as text that is the same in every JVM (a {@code Date}'s own text depends on the time zone). */
    private static String text(Object value) {
        return value instanceof Date date ? Long.toString(date.getTime())
                : value instanceof byte[] bytes ? HexFormat.of().formatHex(bytes) : String.valueOf(value);
    }
}
