package dev.switchboard.rabbitmq;

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
 * A three-node RabbitMQ cluster on loopback (scripts/start-rabbitmq-cluster.sh; the group's quorum queue on all
 * three), the service given all three addresses ({@code switchboard.rabbitmq.addresses}, tried in order, so it
 * connects to node 1, which then leads the queue it declares). Mid-stream, first a node the client is not
 * connected to is killed with kill -9 (and started again), then the node it is connected to, which leads the
 * queue. Nothing confirmed is lost, and publishing and consuming resume within 10 s of each kill; the times are
 * printed. Before, the adapter took one host and retried the dead node until it came back (65 s measured).
 */
class RabbitMqClusterFailoverTest {
    private static final String ADDRESSES = "TEST_RABBITMQ_CLUSTER_ADDRESSES";

    @Test
    void killingANodeAndThenTheConnectedLeaderLosesNothingAndResumesWithinTenSeconds() throws Exception {
        String addresses = System.getenv(ADDRESSES);
        if (addresses == null) {
            String how = "no RabbitMQ cluster: set " + ADDRESSES + " (scripts/start-rabbitmq-cluster.sh prints it)";
            if (Boolean.parseBoolean(System.getenv("TEST_REQUIRE_BROKERS"))) {
                throw new AssertionError(how);
            }
            Assumptions.abort(how);
        }
        String topic = "cluster-failover-" + UUID.randomUUID();
        String group = "failover";
        Map<String, Long> received = new ConcurrentHashMap<>();
        Map<String, Long> confirmedAt = new ConcurrentHashMap<>();
        Map<String, Long> publishedAt = new ConcurrentHashMap<>();
        long[] killedAt = new long[2];
        int[] killed = new int[2];
        try (Messaging messaging = Messaging.fromConfig(Map.of("switchboard.broker", "rabbitmq",
                "switchboard.rabbitmq.addresses", addresses, "switchboard.rabbitmq.username", "guest",
                "switchboard.rabbitmq.password", "guest", "switchboard.publish.timeout", "60s"))) {
            messaging.subscribe(Subscription.to(topic).group(group)
                    .onEnvelope((event, context) -> received.putIfAbsent(event.id(), System.currentTimeMillis())).build());
            int leader = Integer.parseInt(fault("leader", topic + "." + group).trim());
            assertThat(leader).as("the queue's leader: the node the service connected to").isEqualTo(1);
            CompletableFuture<String> restart = null;
            List<CompletableFuture<?>> publishes = new ArrayList<>();
            long start = System.nanoTime();
            for (int n = 0; n < 3000; n++) { // 15 s at 200 events/s
                if (n == 600) {
                    killed[0] = 3; // neither the client's node nor the leader
                    fault("kill", "3");
                    killedAt[0] = System.currentTimeMillis();
                    restart = CompletableFuture.supplyAsync(() -> faultUnchecked("start", "3"));
                }
                if (n == 1800) {
                    restart.get(2, TimeUnit.MINUTES);
                    killed[1] = 1; // the client's node and the queue's leader
                    fault("kill", "1");
                    killedAt[1] = System.currentTimeMillis();
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

            StringBuilder figures = new StringBuilder("rabbitmq cluster failover (3,000 events at 200/s, quorum queue on"
                    + " 3 nodes, client given 3 addresses): " + confirmed.size() + " confirmed, lost "
                    + confirmed.stream().filter(id -> !received.containsKey(id)).count());
            List<Long> resumes = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                long after = killedAt[k];
                String firstAfter = publishedAt.entrySet().stream().filter(e -> e.getValue() >= after)
                        .min(Map.Entry.comparingByValue()).orElseThrow().getKey();
                long published = confirmedAt.getOrDefault(firstAfter, Long.MAX_VALUE) - after;
                long consumed = received.getOrDefault(firstAfter, Long.MAX_VALUE) - after;
                resumes.add(Math.max(published, consumed));
                figures.append("; node ").append(killed[k]).append(k == 0 ? " (not connected, not leading)" : " (connected,"
                        + " leading)").append(" killed: first event after it confirmed after ").append(published)
                        .append(" ms, consumed after ").append(consumed).append(" ms");
            }
            System.out.println(figures);

            assertThat(received.keySet()).as(figures.toString()).containsAll(confirmed);
            assertThat(confirmed).as(figures.toString()).hasSize(3000);
            assertThat(resumes).as(figures.toString()).allSatisfy(ms -> assertThat(ms).isLessThan(10_000));
        } finally {
            faultUnchecked("start", "1");
            faultUnchecked("start", "3");
        }
    }

    private static String faultUnchecked(String... args) {
        try {
            return fault(args);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String fault(String... args) throws IOException, InterruptedException {
        Path script = Path.of(System.getProperty("test.scripts.dir"), "rabbitmq-cluster-fault.sh");
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("rabbitmq-cluster-fault.sh " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }
}
