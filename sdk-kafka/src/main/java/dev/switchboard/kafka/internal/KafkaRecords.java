package dev.switchboard.kafka.internal;

import dev.switchboard.EventEnvelope;
import dev.switchboard.spi.CloudEventAttributes;
import dev.switchboard.spi.MessageReader;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The CloudEvents Kafka protocol binding, binary content mode: context attributes and extensions as
 * {@code ce_} headers (UTF-8), {@code datacontenttype} as the {@code content-type} header, the partition key as
 * the record key. Reading also accepts structured mode ({@code content-type: application/cloudevents+json})
 * and foreign records without {@code ce_} headers (their record key becomes the partition key).
 */
final class KafkaRecords {
    static final String PREFIX = "ce_";
    static final String CONTENT_TYPE = "content-type";

    private KafkaRecords() {
    }

    static ProducerRecord<String, byte[]> toRecord(String topic, EventEnvelope envelope) {
        RecordHeaders headers = new RecordHeaders();
        CloudEventAttributes.forEachHeader(envelope, PREFIX,
                (name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        envelope.dataContentType().ifPresent(type -> headers.add(CONTENT_TYPE, type.getBytes(StandardCharsets.UTF_8)));
        return new ProducerRecord<>(topic, null, envelope.partitionKey().orElse(null), envelope.data(), headers);
    }

    private static String text(Header header) {
        return header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Reads a record; the envelope takes the record's value array (a deserializer's fresh copy) as its payload. */
    static CloudEventAttributes.Read fromRecord(ConsumerRecord<String, byte[]> record) {
        MessageReader reader = CloudEventAttributes.reader(PREFIX);
        String contentType = null;
        for (Header header : record.headers()) {
            String key = header.key();
            if (key.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
                reader.header(key, text(header));
            } else if (key.equalsIgnoreCase(CONTENT_TYPE)) {
                contentType = text(header);
            }
        }
        if (record.key() != null && !reader.hasExtension(EventEnvelope.PARTITION_KEY)) {
            reader.header(PREFIX + EventEnvelope.PARTITION_KEY, record.key());
        }
        byte[] body = record.value() == null ? new byte[0] : record.value();
        return reader.read(contentType, body,
                () -> record.topic() + "-" + record.partition() + "@" + record.offset(), "kafka:" + record.topic());
    }
}
