package dev.switchboard.kafka.internal;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The group's retry topic ({@code <topic>.<group>.retry}): a record whose handling failed and is to be tried
 * again after a delay is copied there, whole (key, value, every header), with three headers of Switchboard's, and
 * the original is then settled, so that a long retry delay never holds back its partition's committed position.
 * The group reads the retry topic beside its topic and hands a copy out once it is due.
 * <ul>
 *   <li>{@code switchboard-attempt}: the attempt the copy is for (the original's plus one);</li>
 *   <li>{@code switchboard-due}: when it is due, epoch milliseconds;</li>
 *   <li>{@code switchboard-origin}: where the record was first published ({@code topic-partition@offset}).</li>
 * </ul>
 * Stateless.
 */
final class RetryRecords {
    static final String ATTEMPT = "switchboard-attempt";
    static final String DUE = "switchboard-due";
    static final String ORIGIN = "switchboard-origin";

    /** What a retry-topic record's headers say. */
    record Retry(int attempt, long dueMillis, String origin) {
    }

    private RetryRecords() {
    }

    static String topicOf(String topic, String group) {
        return topic + "." + group + ".retry";
    }

    /** The copy of {@code message} for the retry topic: due at {@code dueMillis}, for the next attempt. */
    static ProducerRecord<String, byte[]> copy(String retryTopic, KafkaMessage message, long dueMillis) {
        ConsumerRecord<String, byte[]> original = message.record();
        Headers headers = new RecordHeaders();
        for (Header header : original.headers()) {
            if (!header.key().equals(ATTEMPT) && !header.key().equals(DUE) && !header.key().equals(ORIGIN)) {
                headers.add(header);
            }
        }
        headers.add(ATTEMPT, ascii(Integer.toString(message.attempt() + 1)));
        headers.add(DUE, ascii(Long.toString(dueMillis)));
        headers.add(ORIGIN, ascii(message.transportId()));
        return new ProducerRecord<>(retryTopic, null, null, original.key(), original.value(), headers);
    }

    /**
     * What {@code record}'s headers say; a record without them (written by something else) counts as a second
     * attempt, due at once, from where it is.
     */
    static Retry read(ConsumerRecord<String, byte[]> record) {
        int attempt = (int) number(record.headers().lastHeader(ATTEMPT), 2);
        long due = number(record.headers().lastHeader(DUE), 0);
        Header origin = record.headers().lastHeader(ORIGIN);
        return new Retry(Math.max(2, attempt), due, origin != null && origin.value() != null
                ? new String(origin.value(), StandardCharsets.UTF_8)
                : record.topic() + "-" + record.partition() + "@" + record.offset());
    }

    private static long number(Header header, long fallback) {
        if (header == null || header.value() == null) {
            return fallback;
        }
        try {
            return Long.parseLong(new String(header.value(), StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static byte[] ascii(String value) {
        return value.getBytes(StandardCharsets.US_ASCII);
    }
}
