package dev.switchboard.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class KafkaMessageTest {
    @Test
    void readsTheCloudEventsHeadersAndTheContentTypeInAnyCase() {
        KafkaMessage message = message(new String[][] {
                {"ce_id", "1"}, {"CE_Type", "t"}, {"traceparent", "x"}, {"Content-Type", "text/plain"},
                {"content-typ", "no"}, {"ce", "no"}});
        Map<String, String> headers = new LinkedHashMap<>();
        message.forEachHeader(headers::put);

        assertThat(headers).containsExactly(Map.entry("ce_id", "1"), Map.entry("CE_Type", "t"));
        assertThat(message.contentType()).isEqualTo("text/plain");
    }

    @Test
    void theLastContentTypeWins() {
        KafkaMessage message = message(new String[][] {{"content-type", "a/b"}, {"CONTENT-TYPE", "c/d"}});

        assertThat(message.contentType()).isEqualTo("c/d");
    }

    @Test
    void noContentTypeHeaderIsNull() {
        assertThat(message(new String[][] {{"ce_id", "1"}}).contentType()).isNull();
    }

    @Test
    void underRecordTimestampTheCreateTimeIsTheEventTimeAndOtherwiseThereIsNone() {
        long millis = 1_715_000_000_123L;
        OffsetDateTime expected = OffsetDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);

        assertThat(record(millis, TimestampType.CREATE_TIME, true).eventTime()).isEqualTo(expected);
        assertThat(record(millis, TimestampType.CREATE_TIME, false).eventTime()).isNull();
        assertThat(record(millis, TimestampType.LOG_APPEND_TIME, true).eventTime()).as("the broker's time").isNull();
        assertThat(record(-1, TimestampType.NO_TIMESTAMP_TYPE, true).eventTime()).isNull();
    }

    private static KafkaMessage record(long timestamp, TimestampType type, boolean timeInRecordTimestamp) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("orders", 0, 7, timestamp, type,
                0, 0, null, new byte[0], new RecordHeaders(), Optional.empty());
        return new KafkaMessage(new PartitionProgress(new TopicPartition("orders", 0)), record, timeInRecordTimestamp);
    }

    private static KafkaMessage message(String[][] headers) {
        RecordHeaders recordHeaders = new RecordHeaders();
        for (String[] header : headers) {
            recordHeaders.add(header[0], header[1].getBytes(StandardCharsets.UTF_8));
        }
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("orders", 0, 7, 0L, TimestampType.CREATE_TIME,
                0, 0, null, new byte[0], recordHeaders, Optional.empty());
        return new KafkaMessage(new PartitionProgress(new TopicPartition("orders", 0)), record, false);
    }
}
