package dev.switchboard.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.Subscription;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A three-node Kafka cluster on loopback (scripts/start-kafka-cluster.sh: replication factor 3,
 * min.insync.replicas 2, broker.session.timeout.ms 3000): the leader of a partition is killed with kill -9 while a
 * service publishes and consumes. Nothing confirmed is lost, publishing goes on, and the time until a publish made
 * after the kill is confirmed, and until it is consumed, is printed. The node is started again afterwards.
 */
class KafkaClusterFailoverTest {
    private static final String BOOTSTRAP = "TEST_KAFKA_CLUSTER_BOOTSTRAP";

    @Test
    void killingAPartitionLeaderMidStreamLosesNothingConfirmedAndPublishingResumes() throws Exception {
        String bootstrap = System.getenv(BOOTSTRAP);
        if (bootstrap == null) {
            if (Boolean.parseBoolean(System.getenv("TEST_REQUIRE_BROKERS"))) {
                throw new AssertionError("no Kafka cluster: set " + BOOTSTRAP + " (scripts/start-kafka-cluster.sh prints it)");
            }
            Assumptions.abort("no Kafka cluster: set " + BOOTSTRAP + " (scripts/start-kafka-cluster.sh prints it)");
        }
        String topic = "cluster-failover-" + UUID.randomUUID();
        Map<String, Long> received = new ConcurrentHashMap<>();
        Map<String, Long> confirmedAt = new ConcurrentHashMap<>();
        Map<String, Long> publishedAt = new ConcurrentHashMap<>();
        try (Messaging messaging = Messaging.fromConfig(Map.of("switchboard.broker", "kafka",
                "switchboard.kafka.bootstrap-servers", bootstrap, "switchboard.publish.timeout", "60s"))) {
            messaging.subscribe(Subscription.to(topic).group("failover")
                    .onEnvelope((event, context) -> received.putIfAbsent(event.id(), System.currentTimeMillis())).build());
            List<CompletableFuture<?>> publishes = new ArrayList<>();
            long start = System.nanoTime();
            long killedAt = -1;
            int node = -1;
            for (int n = 0; n < 3000; n++) { // 15 s at 200 events/s
                if (n == 1000) {
                    node = Integer.parseInt(fault("leader", topic, "0").trim());
                    fault("kill", String.valueOf(node));
                    killedAt = System.currentTimeMillis();
                }
                String id = "e-" + n;
                publishedAt.put(id, System.currentTimeMillis());
                publishes.add(messaging.publisher().publish(topic, EventEnvelope.builder().id(id).type("com.example.tick")
                        .partitionKey("k" + (n % 30)).data(Integer.toString(n)).build()).toCompletableFuture()
                        .thenRun(() -> confirmedAt.put(id, System.currentTimeMillis())));
                LockSupport.parkNanos(start + TimeUnit.MILLISECONDS.toNanos(5L * (n + 1)) - System.nanoTime());
            }
            CompletableFuture.allOf(publishes.stream().map(p -> p.exceptionally(e -> null)).toArray(CompletableFuture[]::new))
                    .get(90, TimeUnit.SECONDS);
            Set<String> confirmed = confirmedAt.keySet();
            await().atMost(Duration.ofSeconds(60)).until(() -> received.keySet().containsAll(confirmed));
            fault("start", String.valueOf(node));

            long after = killedAt;
            String firstAfter = publishedAt.entrySet().stream().filter(e -> e.getValue() >= after)
                    .min(Map.Entry.comparingByValue()).orElseThrow().getKey();
            long publishResumed = confirmedAt.getOrDefault(firstAfter, Long.MAX_VALUE) - killedAt;
            long consumeResumed = received.getOrDefault(firstAfter, Long.MAX_VALUE) - killedAt;
            long confirmedAfterKill = confirmedAt.values().stream().filter(t -> t > after).count();
            System.out.println("kafka cluster failover: leader node " + node + " of " + topic + "-0 killed with kill -9 after"
                    + " 1,000 of 3,000 events (200/s, acks=all, RF 3, min ISR 2): " + confirmed.size() + " confirmed, lost "
                    + (confirmed.size() - received.keySet().stream().filter(confirmed::contains).count())
                    + "; the first event published after the kill was confirmed after " + publishResumed + " ms and"
                    + " consumed after " + consumeResumed + " ms");

            assertThat(received.keySet()).containsAll(confirmed);
            assertThat(confirmed).hasSize(3000);
            assertThat(confirmedAfterKill).isGreaterThan(1900);
            assertThat(publishResumed).isLessThan(Duration.ofSeconds(30).toMillis());
        }
    }

    private static String fault(String... args) throws IOException, InterruptedException {
        Path script = KafkaTestBroker.scripts().resolve("kafka-cluster-fault.sh");
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("kafka-cluster-fault.sh " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }
}
