package dev.switchboard.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.switchboard.BatchPublishResult;
import dev.switchboard.ErrorCode;
import dev.switchboard.EventEnvelope;
import dev.switchboard.EventType;
import dev.switchboard.Messaging;
import dev.switchboard.MessagingException;
import dev.switchboard.Ordering;
import dev.switchboard.Subscription;
import dev.switchboard.spi.Capability;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Per-key ordering on FIFO topics and queues, and its refusal on standard ones. */
@Timeout(180)
class FifoOrderingTest {
    private static final int KEYS = 8;
    private static final int EVENTS = 500;

    private final List<Messaging> opened = new ArrayList<>();

    @EventType("com.example.fifo.keyed")
    record Keyed(String key, int sequence) {
    }

    @AfterEach
    void closeConnections() {
        opened.forEach(m -> m.close(Duration.ofSeconds(5)));
    }

    @Test
    void fiveHundredEventsOverEightKeysAreHandledInOrderPerKeyWithConcurrencyEight() {
        Messaging messaging = open(Map.of("switchboard.aws.fifo", "true"));
        String topic = "fifo-order-" + UUID.randomUUID();
        PerKeyLog log = new PerKeyLog();
        messaging.subscribe(Subscription.to(topic).group("ordered").ordering(Ordering.PER_KEY).concurrency(8)
                .on(Keyed.class, (event, ctx) -> log.handle(event)));
        List<EventEnvelope> events = keyedEvents(messaging);

        BatchPublishResult published = messaging.publisher().publishAll(topic, events).toCompletableFuture().join();

        assertThat(published.failures()).isEmpty();
        assertThat(messaging.capabilities()).contains(Capability.ORDERING_BY_KEY);
        await("all " + EVENTS + " events handled").atMost(Duration.ofSeconds(120)).until(() -> log.total() >= EVENTS);
        await("no event handled twice").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> log.total() == EVENTS);
        assertThat(log.overlaps()).as("events of one key handled concurrently").isEmpty();
        Map<String, List<Integer>> sequences = log.sequences();
        assertThat(sequences).hasSize(KEYS);
        Map<String, Long> publishedPerKey = events.stream()
                .collect(Collectors.groupingBy(e -> e.partitionKey().orElseThrow(), Collectors.counting()));
        sequences.forEach((key, seen) -> assertThat(seen).as("sequences of %s in handling order", key)
                .isEqualTo(IntStream.range(0, publishedPerKey.get(key).intValue()).boxed().toList()));
    }

    @Test
    void perKeyOrderingOnStandardTopicsFailsAtSubscribe() {
        Messaging messaging = open(Map.of());
        String topic = "fifo-standard-" + UUID.randomUUID();
        Subscription ordered = Subscription.to(topic).group("ordered").ordering(Ordering.PER_KEY)
                .on(Keyed.class, (event, ctx) -> { }).build();

        MessagingException error = catchThrowableOfType(() -> messaging.subscribe(ordered), MessagingException.class);

        assertThat(messaging.capabilities()).doesNotContain(Capability.ORDERING_BY_KEY);
        assertThat(error).isNotNull();
        assertThat(error.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
        assertThat(error.getMessage()).contains(topic + "/ordered").contains("per-key ordering").contains("FIFO");
    }

    @Test
    void withoutExplicitOrderingAStandardTopicSubscribesUnordered() {
        Messaging messaging = open(Map.of());
        String topic = "fifo-default-" + UUID.randomUUID();
        Subscription unordered = Subscription.to(topic).group("any").on(Keyed.class, (event, ctx) -> { }).build();

        boolean running = messaging.subscribe(unordered).isRunning();

        assertThat(running).isTrue();
    }

    private Messaging open(Map<String, String> overrides) {
        Messaging messaging = Messaging.fromConfig(AwsTestBroker.properties(overrides));
        opened.add(messaging);
        return messaging;
    }

    /** {@link #EVENTS} events round-robin over {@link #KEYS} keys, each with its key and sequence. */
    private static List<EventEnvelope> keyedEvents(Messaging messaging) {
        int[] next = new int[KEYS];
        return IntStream.range(0, EVENTS).mapToObj(i -> {
            String key = "key-" + (i % KEYS);
            return messaging.publisher().envelope(new Keyed(key, next[i % KEYS]++)).partitionKey(key).build();
        }).toList();
    }

    /** Per key, the sequences in handling order, and whether two events of one key ever ran at once. */
    private static final class PerKeyLog {
        private final Map<String, List<Integer>> sequences = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
        private final Set<String> overlaps = ConcurrentHashMap.newKeySet();
        private final AtomicInteger total = new AtomicInteger();

        void handle(Keyed event) {
            AtomicInteger active = running.computeIfAbsent(event.key(), k -> new AtomicInteger());
            if (active.incrementAndGet() > 1) {
                overlaps.add(event.key() + "#" + event.sequence());
            }
            try {
                List<Integer> list = sequences.computeIfAbsent(event.key(), k -> new ArrayList<>());
                synchronized (list) {
                    list.add(event.sequence());
                }
                total.incrementAndGet();
            } finally {
                active.decrementAndGet();
            }
        }

        int total() {
            return total.get();
        }

        Set<String> overlaps() {
            return Set.copyOf(overlaps);
        }

        Map<String, List<Integer>> sequences() {
            Map<String, List<Integer>> copy = new TreeMap<>();
            sequences.forEach((key, list) -> {
                synchronized (list) {
                    copy.put(key, List.copyOf(list));
                }
            });
            return copy;
        }
    }
}
