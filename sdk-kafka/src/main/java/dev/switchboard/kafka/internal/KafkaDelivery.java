package dev.switchboard.kafka.internal;

import dev.switchboard.EventEnvelope;
import dev.switchboard.spi.CloudEventAttributes;
import dev.switchboard.spi.Delivery;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

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

    /**
     * The record key. A {@code ce_partitionkey} header without a record key orders nothing here: Kafka spread
     * such records over partitions by no key, so they reach different members anyway (the header still
     * becomes the envelope's partition key). Reading only the key keeps the poller from decoding headers.
     */
    @Override
    public Optional<String> partitionKey() {
        return Optional.ofNullable(record.key());
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
