package dev.switchboard.rabbitmq.internal;

import dev.switchboard.rabbitmq.RabbitMqOptions;
import com.rabbitmq.client.AMQP;
import dev.switchboard.spi.OutboundMessage;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;

/**
 * Wire messages on AMQP 0-9-1: CloudEvents attributes as headers with the AMQP binding's {@code cloudEvents:}
 * prefix, the content type, id and time as the {@code content-type}, {@code message-id} and {@code timestamp}
 * properties, persistent delivery; and the attempt count of a received message. Stateless.
 */
final class AmqpMessages {
    static final String PREFIX = "cloudEvents:";
    /** Our own count of attempts made before this copy of the message was published (retries). */
    static final String ATTEMPT_HEADER = "switchboard-attempt";
    /** The publisher-confirm sequence number, so that a returned (unroutable) message finds its publish. */
    static final String SEQUENCE_HEADER = "switchboard-publish-seq";
    /** The header that routes an event to the queue of its partition in a partitioned group. */
    static final String BUCKET_HEADER = "switchboard-bucket";
    /** The count quorum queues keep of earlier deliveries of a message. */
    static final String DELIVERY_COUNT_HEADER = "x-delivery-count";
    private static final int PERSISTENT = 2;
    /** AMQP's limit on a routing key. */
    private static final int MAX_ROUTING_KEY = 255;

    private AmqpMessages() {
    }

    /** Properties for {@code message} but the headers (see {@link #headers}), which the publisher completes. */
    static AMQP.BasicProperties.Builder properties(OutboundMessage message) {
        return new AMQP.BasicProperties.Builder().contentType(message.contentType()).messageId(message.id())
                .timestamp(message.epochMillis() < 0 ? null : new Date(message.epochMillis())).deliveryMode(PERSISTENT);
    }

    /** The routing key: the event type, truncated to AMQP's limit; groups bind with {@code #}. */
    static String routingKey(OutboundMessage message) {
        String type = message.type();
        return type.length() <= MAX_ROUTING_KEY ? type : type.substring(0, MAX_ROUTING_KEY);
    }

    /**
     * Headers for {@code message}, in a new mutable map: {@code carried} (the headers of an earlier copy to keep,
     * such as {@code x-death}) without their CloudEvents attributes, then the message's attributes.
     */
    static Map<String, Object> headers(OutboundMessage message, Map<String, Object> carried) {
        Map<String, Object> headers = new HashMap<>(carried);
        headers.keySet().removeIf(name -> name.startsWith(PREFIX));
        message.forEachAttribute(PREFIX, headers::put);
        headers.put(BUCKET_HEADER, bucket(message.key() != null ? message.key() : message.id()));
        return headers;
    }

    /**
     * The bucket (0 to {@value RabbitMqOptions#MAX_PARTITIONS} - 1, as text) a partition key falls in: a partitioned
     * group binds each of its queues to the buckets it serves (see {@code Topology}). {@code String.hashCode} is the
     * same in every JVM; an event without a key falls in its id's bucket.
     */
    static String bucket(String key) {
        return Integer.toString(Math.floorMod(key.hashCode(), RabbitMqOptions.MAX_PARTITIONS));
    }

    /** The headers of a received message to carry over to a copy of it (a retry, a dead letter), in a new map. */
    static Map<String, Object> carriedHeaders(AMQP.BasicProperties properties) {
        Map<String, Object> headers = new HashMap<>(headersOf(properties));
        headers.remove(DELIVERY_COUNT_HEADER);
        return headers;
    }

    /** The attempt this delivery is: attempts before this copy was published, plus the queue's redeliveries. */
    static int attempt(AMQP.BasicProperties properties, boolean redelivered) {
        Map<String, Object> headers = headersOf(properties);
        int before = headers.get(ATTEMPT_HEADER) instanceof Number n ? n.intValue() : 1;
        return before + (headers.get(DELIVERY_COUNT_HEADER) instanceof Number count ? count.intValue() : redelivered ? 1 : 0);
    }

    static Map<String, Object> headersOf(AMQP.BasicProperties properties) {
        return properties.getHeaders() == null ? Map.of() : properties.getHeaders();
    }
}
