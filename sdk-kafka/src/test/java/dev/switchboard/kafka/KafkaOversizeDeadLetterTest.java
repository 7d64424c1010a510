package dev.switchboard.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.DeadLetter;
import dev.switchboard.ErrorCode;
import dev.switchboard.Messaging;
import dev.switchboard.MessagingException;
import dev.switchboard.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A 5 MiB undecodable record on a topic that takes it, with a dead-letter topic that takes 1 MiB: the dead
 * letter is written with its payload cut (the cut, the original size and the record's position in its
 * diagnostics), the record is settled, and the group's position moves past it. Before, the write failed with
 * RecordTooLargeException forever and the group's committed offset stayed at the record.
 */
class KafkaOversizeDeadLetterTest {
    private static final int FIVE_MIB = 5 * 1024 * 1024;

    record Order(String id) {
    }

    @Test
    void anUndecodableRecordTooLargeForTheDeadLetterTopicIsDeadLetteredCutAndTheGroupMovesOn() throws Exception {
        String topic = "oversize-" + UUID.randomUUID();
        String group = "oversize-" + UUID.randomUUID();
        List<String> handled = new CopyOnWriteArrayList<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaTestBroker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())
                    .configs(Map.of("max.message.bytes", String.valueOf(6 * 1024 * 1024))))).all().get();
            byte[] garbage = new byte[FIVE_MIB];
            Arrays.fill(garbage, (byte) '{');
            produce(topic, "big", garbage);
            produce(topic, "small", "{\"id\":\"o-2\"}".getBytes(StandardCharsets.UTF_8));

            try (Messaging messaging = Messaging.fromConfig(KafkaTestBroker.properties(Map.of()))) {
                messaging.subscribe(Subscription.to(topic).group(group)
                        .on("com.example.order", Order.class, (order, context) -> handled.add(order.id())).build());

                await().atMost(Duration.ofSeconds(60)).until(() -> committed(admin, group, topic) == 2);
                List<DeadLetter> deadLetters = messaging.deadLetters(topic, group).list(10, Duration.ofSeconds(10));

                assertThat(handled).containsExactly("o-2");
                assertThat(deadLetters).singleElement().satisfies(deadLetter -> {
                    assertThat(deadLetter.envelope().id()).isEqualTo("big");
                    assertThat(deadLetter.reason()).isEqualTo("undecodable");
                    assertThat(deadLetter.isCut()).isTrue();
                    assertThat(deadLetter.originalSize()).isEqualTo(FIVE_MIB);
                    assertThat(deadLetter.position()).isEqualTo(topic + "-0@0");
                    assertThat(deadLetter.envelope().payload().size()).isPositive().isLessThan(1024 * 1024);
                });
                MessagingException refused = org.junit.jupiter.api.Assertions.assertThrows(MessagingException.class,
                        () -> messaging.deadLetters(topic, group).replay(10, Duration.ofSeconds(10)));
                assertThat(refused.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
                assertThat(refused.getMessage()).contains(topic + "-0@0");
            }
        }
    }

    /** A CloudEvents binary-mode record, as any producer would write it. */
    private static void produce(String topic, String id, byte[] data) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 6 * 1024 * 1024,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
            headers.add("ce_id", id.getBytes(StandardCharsets.UTF_8));
            headers.add("ce_source", "/test".getBytes(StandardCharsets.UTF_8));
            headers.add("ce_type", "com.example.order".getBytes(StandardCharsets.UTF_8));
            headers.add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
            producer.send(new ProducerRecord<>(topic, null, null, null, data, headers)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long committed(Admin admin, String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        return offsets.getOrDefault(new TopicPartition(topic, 0), new OffsetAndMetadata(0)).offset();
    }
}
