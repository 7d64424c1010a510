package dev.switchboard.kafka.internal;

import dev.switchboard.EventEnvelope;
import dev.switchboard.spi.Delivery;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** One delivery of a record: the record, its envelope, and the partition progress it belongs to. */
record KafkaDelivery(PartitionProgress progress, ConsumerRecord<String, byte[]> record, EventEnvelope envelope,
                     Optional<String> malformation, int attempt) implements Delivery {

    KafkaDelivery redelivery() {
        return new KafkaDelivery(progress, record, envelope, malformation, attempt + 1);
    }
}
