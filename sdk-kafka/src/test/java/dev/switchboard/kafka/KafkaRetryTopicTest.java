package dev.switchboard.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.Messaging;
import dev.switchboard.Ordering;
import dev.switchboard.RetryAfterException;
import dev.switchboard.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Non-blocking retries: an unordered subscription's failed record is copied to the group's retry topic and
 * settled, so a long retry delay does not hold back the topic's committed position, and the retry keeps its due
 * time and attempt across a restart. Before, the record's offset stayed uncommitted for the whole delay, and a
 * restart redelivered everything after it.
 */
class KafkaRetryTopicTest {
    private final String topic = "retry-topic-" + UUID.randomUUID();
    private final String group = "retry-topic-" + UUID.randomUUID();
    private Admin admin;

    @BeforeEach
    void admin() {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers()));
    }

    @AfterEach
    void closeAdmin() {
        admin.close();
    }

    @Test
    void aRetryMinutesAwayDoesNotHoldBackTheCommittedPositionAndARestartRedeliversNothingHandled() throws Exception {
        List<String> handled = new CopyOnWriteArrayList<>();
        try (Messaging messaging = Messaging.fromConfig(KafkaTestBroker.properties(Map.of()))) {
            messaging.subscribe(unordered((event, context) -> {
                handled.add(event.id());
                if (event.id().equals("slow")) {
                    throw new RetryAfterException(Duration.ofMinutes(5), "downstream asked for five minutes");
                }
            }));
            publish(messaging, "slow", "a", "b", "c");

            await().atMost(Duration.ofSeconds(30)).until(() -> committed(topic) == endOffsets(topic));
            assertThat(handled).containsExactlyInAnyOrder("slow", "a", "b", "c");
        }
        List<String> afterRestart = new CopyOnWriteArrayList<>();
        try (Messaging restarted = Messaging.fromConfig(KafkaTestBroker.properties(Map.of()))) {
            restarted.subscribe(unordered((event, context) -> afterRestart.add(event.id())));
            publish(restarted, "d");

            await().atMost(Duration.ofSeconds(30)).until(() -> afterRestart.contains("d"));
            assertThat(afterRestart).containsExactly("d");
        }
    }

    @Test
    void aRetryKeepsItsDueTimeAndAttemptAcrossARestart() throws Exception {
        List<String> firstRun = new CopyOnWriteArrayList<>();
        long failedAt;
        try (Messaging messaging = Messaging.fromConfig(KafkaTestBroker.properties(Map.of()))) {
            messaging.subscribe(unordered((event, context) -> {
                firstRun.add(event.id() + "#" + context.attempt());
                throw new RetryAfterException(Duration.ofSeconds(4), "not yet");
            }));
            publish(messaging, "later");
            await().atMost(Duration.ofSeconds(30)).until(() -> committed(topic) == 1);
            failedAt = System.currentTimeMillis();
        }
        List<String> secondRun = new CopyOnWriteArrayList<>();
        List<Long> secondRunAt = new CopyOnWriteArrayList<>();
        try (Messaging restarted = Messaging.fromConfig(KafkaTestBroker.properties(Map.of()))) {
            restarted.subscribe(unordered((event, context) -> {
                secondRun.add(event.id() + "#" + context.attempt());
                secondRunAt.add(System.currentTimeMillis());
            }));

            await().atMost(Duration.ofSeconds(30)).until(() -> !secondRun.isEmpty());
        }
        assertThat(firstRun).containsExactly("later#1");
        assertThat(secondRun).containsExactly("later#2");
        // due four seconds after the failure, not at once on the restart (the failure came at most 1 s before failedAt)
        assertThat(secondRunAt.get(0) - failedAt).isGreaterThanOrEqualTo(3000);
    }

    private Subscription unordered(dev.switchboard.EnvelopeHandler handler) {
        return Subscription.to(topic).group(group).ordering(Ordering.NONE).onEnvelope(handler).build();
    }

    private void publish(Messaging messaging, String... ids) {
        for (String id : ids) {
            messaging.publisher().publish(topic, dev.switchboard.EventEnvelope.builder().id(id)
                    .type("com.example.noted").data(id).build()).toCompletableFuture().join();
        }
    }

    private long committed(String topicName) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topicName))
                .mapToLong(e -> e.getValue().offset()).sum();
    }

    private long endOffsets(String topicName) throws Exception {
        var partitions = admin.describeTopics(List.of(topicName)).allTopicNames().get().get(topicName).partitions();
        Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
        partitions.forEach(p -> latest.put(new TopicPartition(topicName, p.partition()), OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get().values().stream().mapToLong(r -> r.offset()).sum();
    }
}
