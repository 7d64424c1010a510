package dev.switchboard.kafka.internal;

import dev.switchboard.Payload;
import dev.switchboard.spi.InboundMessage;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;

/**
 * One fetched record as the core reads it, and its place in its partition's progress (the ack id). Building it
 * decodes nothing: header values become text only when the core reads them, on a handler's thread. Immutable.
 */
final class KafkaMessage implements InboundMessage {
    private final PartitionProgress progress;
    private final ConsumerRecord<String, byte[]> record;
    private final boolean timeInRecordTimestamp;
    private final RetryRecords.Retry retry;

    /** A record of the topic itself. */
    KafkaMessage(PartitionProgress progress, ConsumerRecord<String, byte[]> record, boolean timeInRecordTimestamp) {
        this(progress, record, timeInRecordTimestamp, null);
    }

    /** A record of the group's retry topic, with what its headers say ({@link RetryRecords}); null for the topic's own. */
    KafkaMessage(PartitionProgress progress, ConsumerRecord<String, byte[]> record, boolean timeInRecordTimestamp,
                 RetryRecords.Retry retry) {
        this.progress = progress;
        this.record = record;
        this.timeInRecordTimestamp = timeInRecordTimestamp;
        this.retry = retry;
    }

    /** This record with its attempt raised by {@code tries} tries that ended with the process (see {@code CrashMarks}). */
    KafkaMessage withEarlierTries(int tries) {
        return tries == 0 ? this : new KafkaMessage(progress, record, timeInRecordTimestamp,
                new RetryRecords.Retry(attempt() + tries, dueMillis(), transportId()));
    }

    ConsumerRecord<String, byte[]> record() {
        return record;
    }

    /** When a retry-topic record is due, in epoch milliseconds; 0 for a record of the topic itself. */
    long dueMillis() {
        return retry == null ? 0 : retry.dueMillis();
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

    /** {@code topic-partition@offset} of the record as first published; a retry-topic copy keeps its original's. */
    @Override
    public String transportId() {
        return retry != null ? retry.origin() : record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    /** 1 for a record of the topic; a retry-topic copy carries the attempt it is for. */
    @Override
    public int attempt() {
        return retry == null ? 1 : retry.attempt();
    }

    /**
     * Under {@code switchboard.kafka.event-time=record-timestamp}, the record's timestamp when the producer set it
     * ({@code CreateTime}); else null. The core uses it only for a record without a {@code ce_time} header.
     */
    @Override
    public OffsetDateTime eventTime() {
        if (!timeInRecordTimestamp || record.timestampType() != TimestampType.CREATE_TIME || record.timestamp() < 0) {
            return null;
        }
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(record.timestamp()), ZoneOffset.UTC);
    }

    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        return type.isInstance(record) ? Optional.of(type.cast(record)) : Optional.empty();
    }
}
