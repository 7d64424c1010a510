package dev.switchboard.kafka.internal;

import dev.switchboard.Payload;
import dev.switchboard.spi.InboundMessage;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * One fetched record as the core reads it, and its place in its partition's progress (the ack id). Building it
 * decodes nothing: header values become text only when the core reads them, on a handler's thread. Immutable.
 */
final class KafkaMessage implements InboundMessage {
    private final PartitionProgress progress;
    private final ConsumerRecord<String, byte[]> record;

    KafkaMessage(PartitionProgress progress, ConsumerRecord<String, byte[]> record) {
        this.progress = progress;
        this.record = record;
    }

    PartitionProgress progress() {
        return progress;
    }

    /** Marks the record finished, so that its offset may be committed. */
    void finish() {
        progress.finished(record.offset());
    }

    /** The {@code ce_} headers; other headers are not decoded. */
    @Override
    public void forEachHeader(BiConsumer<String, String> visitor) {
        HeaderText text = HeaderText.forThisThread();
        for (Header header : record.headers()) {
            String key = header.key();
            // the exact prefix first: a case-insensitive comparison only for names written otherwise
            if (key.startsWith(KafkaDriver.PREFIX)
                    || key.regionMatches(true, 0, KafkaDriver.PREFIX, 0, KafkaDriver.PREFIX.length())) {
                visitor.accept(key, text.of(key, header.value()));
            }
        }
    }

    /** The last {@code content-type} header, matched ignoring case. */
    @Override
    public String contentType() {
        String contentType = null;
        for (Header header : record.headers()) {
            String key = header.key();
            if (key.equals(KafkaDriver.CONTENT_TYPE) || key.equalsIgnoreCase(KafkaDriver.CONTENT_TYPE)) {
                contentType = HeaderText.forThisThread().of(key, header.value());
            }
        }
        return contentType;
    }

    /** The record's value, without copying: the deserializer's fresh array, owned by no one else. */
    @Override
    public Payload body() {
        return Payload.wrap(record.value());
    }

    @Override
    public String key() {
        return record.key();
    }

    @Override
    public String transportId() {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    /** Kafka does not count deliveries: every record is a first attempt as far as the broker knows. */
    @Override
    public int attempt() {
        return 1;
    }

    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        return type.isInstance(record) ? Optional.of(type.cast(record)) : Optional.empty();
    }
}
