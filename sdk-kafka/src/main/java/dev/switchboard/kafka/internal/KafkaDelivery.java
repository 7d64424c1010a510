package dev.switchboard.kafka.internal;

import dev.switchboard.spi.CloudEventAttributes;
import dev.switchboard.spi.LazyDelivery;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One delivery of a record: the record, its partition progress and attempt. The envelope is decoded on first
 * use (see {@link LazyDelivery}), and the ordering key is the record key, known without decoding (Switchboard
 * writes the partition key there; a foreign record's key is its partition key).
 */
final class KafkaDelivery extends LazyDelivery {
    private final PartitionProgress progress;
    private final ConsumerRecord<String, byte[]> record;

    KafkaDelivery(PartitionProgress progress, ConsumerRecord<String, byte[]> record, int attempt) {
        this(progress, record, attempt, null);
    }

    private KafkaDelivery(PartitionProgress progress, ConsumerRecord<String, byte[]> record, int attempt,
                          CloudEventAttributes.Read decoded) {
        super(attempt, decoded);
        this.progress = progress;
        this.record = record;
    }

    PartitionProgress progress() {
        return progress;
    }

    ConsumerRecord<String, byte[]> record() {
        return record;
    }

    KafkaDelivery redelivery() {
        return new KafkaDelivery(progress, record, attempt() + 1, decodedOrNull());
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
    protected CloudEventAttributes.Read decode() {
        return KafkaRecords.fromRecord(record);
    }
}
