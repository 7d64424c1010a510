package dev.switchboard.kafka.internal;

import dev.switchboard.EventEnvelope;
import dev.switchboard.spi.CloudEventAttributes;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
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
        CloudEventAttributes.toHeaders(envelope, PREFIX)
                .forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        envelope.dataContentType().ifPresent(type -> headers.add(CONTENT_TYPE, type.getBytes(StandardCharsets.UTF_8)));
        return new ProducerRecord<>(topic, null, envelope.partitionKey().orElse(null), envelope.data(), headers);
    }

    static CloudEventAttributes.Read fromRecord(ConsumerRecord<String, byte[]> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        String contentType = null;
        for (Header header : record.headers()) {
            String value = header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
            if (header.key().equalsIgnoreCase(CONTENT_TYPE)) {
                contentType = value;
            } else {
                headers.put(header.key(), value);
            }
        }
        if (record.key() != null && !headers.containsKey(PREFIX + EventEnvelope.PARTITION_KEY)) {
            headers.put(PREFIX + EventEnvelope.PARTITION_KEY, record.key());
        }
        byte[] body = record.value() == null ? new byte[0] : record.value();
        return CloudEventAttributes.fromMessage(headers, PREFIX, contentType, body,
                record.topic() + "-" + record.partition() + "@" + record.offset(), "kafka:" + record.topic());
    }
}
