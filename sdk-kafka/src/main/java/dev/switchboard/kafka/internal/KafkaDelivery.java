package dev.switchboard.kafka.internal;

import dev.switchboard.EventEnvelope;
import dev.switchboard.spi.CloudEventAttributes;
import dev.switchboard.spi.Delivery;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * One delivery of a record: the record, its partition progress and attempt. The envelope is decoded on first
 * use — on the handler's thread, not the poller's — and the ordering key is the record key, known without
 * decoding (Switchboard writes the partition key there; a foreign record's key is its partition key).
 */
final class KafkaDelivery implements Delivery {
    private final PartitionProgress progress;
    private final ConsumerRecord<String, byte[]> record;
    private final int attempt;
    private volatile CloudEventAttributes.Read read;

    KafkaDelivery(PartitionProgress progress, ConsumerRecord<String, byte[]> record, int attempt) {
        this.progress = progress;
        this.record = record;
        this.attempt = attempt;
    }

    PartitionProgress progress() {
        return progress;
    }

    ConsumerRecord<String, byte[]> record() {
        return record;
    }

    KafkaDelivery redelivery() {
        KafkaDelivery again = new KafkaDelivery(progress, record, attempt + 1);
        again.read = read;
        return again;
    }

    @Override
    public EventEnvelope envelope() {
        return read().envelope();
    }

    @Override
    public Optional<String> malformation() {
        return read().malformation();
    }

    /** The record key, else a {@code ce_partitionkey} header, read without decoding the rest. */
    @Override
    public Optional<String> partitionKey() {
        if (record.key() != null) {
            return Optional.of(record.key());
        }
        Header header = record.headers().lastHeader(KafkaRecords.PREFIX + EventEnvelope.PARTITION_KEY);
        return header == null || header.value() == null ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    @Override
    public int attempt() {
        return attempt;
    }

    /** Decoding is deterministic, so two threads racing here build equal envelopes; either may win. */
    private CloudEventAttributes.Read read() {
        CloudEventAttributes.Read current = read;
        if (current == null) {
            current = KafkaRecords.fromRecord(record);
            read = current;
        }
        return current;
    }
}
