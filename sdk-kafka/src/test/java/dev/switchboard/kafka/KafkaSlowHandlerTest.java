package dev.switchboard.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.Messaging;
import dev.switchboard.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A handler slower than {@code max.poll.interval.ms} with a full in-flight window: the member keeps polling with
 * its partitions paused, so it stays in the group, and nothing is handled twice. Before, the poller stopped
 * calling {@code poll()} while the window was full, the member was taken out of the group, its commit failed and
 * the event came round again.
 */
class KafkaSlowHandlerTest {
    private static final Duration MAX_POLL_INTERVAL = Duration.ofMillis(2500);
    private static final Duration HANDLING = Duration.ofMillis(4000);

    @Test
    void aHandlerSlowerThanTheMaxPollIntervalKeepsItsMembershipAndHandlesEachEventOnce() {
        String topic = "slow-handler-" + UUID.randomUUID();
        String group = "slow-" + UUID.randomUUID();
        Map<String, String> properties = KafkaTestBroker.properties(Map.of(
                "switchboard.kafka.consumer.max.poll.interval.ms", String.valueOf(MAX_POLL_INTERVAL.toMillis())));
        Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
        List<String> order = new CopyOnWriteArrayList<>();
        try (Messaging messaging = Messaging.fromConfig(properties)) {
            messaging.subscribe(Subscription.to(topic).group(group).concurrency(1).prefetch(1)
                    .onEnvelope((event, context) -> {
                        order.add(event.id());
                        handled.computeIfAbsent(event.id(), id -> new AtomicInteger()).incrementAndGet();
                        Thread.sleep(HANDLING.toMillis()); // the slow work itself, not a wait for something
                    }).build());
            for (int i = 0; i < 3; i++) {
                messaging.publisher().publish(topic, Map.of("n", i)).toCompletableFuture().join();
            }

            // every redelivery of a lost membership comes before the group's last commit (the window holds one event)
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    KafkaTestBroker.bootstrapServers()))) {
                await().atMost(Duration.ofSeconds(90)).until(() -> committed(admin, group) == 3);
            }

            assertThat(handled).allSatisfy((id, count) -> assertThat(count.get()).as("handlings of " + id).isEqualTo(1));
            assertThat(order).hasSize(3);
        }
    }

    private static long committed(Admin admin, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        return offsets.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
    }
}
