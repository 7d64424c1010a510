package dev.switchboard.testkit.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.Ordering;
import dev.switchboard.RetryPolicy;
import dev.switchboard.Subscription;
import dev.switchboard.spi.Capability;
import dev.switchboard.testkit.tck.TckEvents.Keyed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Ordering: one key's events are handled one at a time in publish order, while different keys, and events
 * without a key, run concurrently.
 *
 * @since 0.1
 */
public abstract class OrderingTests extends TckSupport {

    @Test
    @Rule(id = "OR-01", check = "one key goes to one consumer in publish order (Kafka partition by record key,"
            + " RabbitMQ single active consumer, SQS FIFO message group)")
    void thousandEventsOverSixteenKeysKeepPerKeyOrderWithConcurrencyEight() {
        Messaging messaging = open();
        assumeCapability(messaging, Capability.ORDERING_BY_KEY);
        String topic = topic("order-1000");
        PerKeyLog log = new PerKeyLog();
        messaging.subscribe(Subscription.to(topic).group(group("order-1000")).ordering(Ordering.PER_KEY).concurrency(8)
                .on(Keyed.class, (event, ctx) -> log.handle(event)));
        List<EventEnvelope> events = keyedEvents(messaging, 16, 1000);

        assertTrue(join(messaging.publisher().publishAll(topic, events)).allSucceeded());

        awaitUntil(() -> log.total() >= 1000, () -> log.total() + " of 1000 handled");
        log.assertEveryKeyInOrder(16, 1000 / 16 + 1, 1000);
    }

    @Test
    @Rule(id = "OR-02", check = "a nacked keyed message is redelivered before later messages of its key; the core"
            + " holds the key's lane meanwhile")
    void perKeyOrderSurvivesRetries() {
        Messaging messaging = open();
        assumeCapability(messaging, Capability.ORDERING_BY_KEY);
        String topic = topic("order-retry");
        PerKeyLog log = new PerKeyLog();
        AtomicInteger failures = new AtomicInteger();
        messaging.subscribe(Subscription.to(topic).group(group("order-retry")).ordering(Ordering.PER_KEY).concurrency(4)
                .retry(RetryPolicy.fixed(5, Duration.ofMillis(30)))
                .on(Keyed.class, (event, ctx) -> {
                    if (event.key().equals("key-0") && event.sequence() == 2 && ctx.attempt() <= 2) {
                        failures.incrementAndGet();
                        throw new IllegalStateException("TCK: early event of key-0 fails twice");
                    }
                    log.handle(event);
                }));
        List<EventEnvelope> events = keyedEvents(messaging, 4, 200);

        assertTrue(join(messaging.publisher().publishAll(topic, events)).allSucceeded());

        awaitUntil(() -> log.total() >= 200, () -> log.total() + " of 200 handled");
        assertEquals(2, failures.get(), "failed attempts");
        log.assertEveryKeyInOrder(4, 50, 200);
    }

    @Test
    @Rule(id = "OR-03", check = "receive() hands out further messages while earlier ones are unsettled (prefetch sized"
            + " from ReceiverSpec.maxInFlight)")
    void differentKeysRunConcurrently() {
        Messaging messaging = open();
        String topic = topic("keys-concurrent");
        CountDownLatch aStarted = latch(1);
        CountDownLatch bRan = latch(1);
        AtomicBoolean aSawB = new AtomicBoolean();
        messaging.subscribe(Subscription.to(topic).group(group("keys-concurrent")).concurrency(2).onEnvelope((e, ctx) -> {
            if (e.partitionKey().orElse("").equals("key-a")) {
                aStarted.countDown();
                if (ctx.attempt() == 1) {
                    aSawB.set(awaitLatch(bRan));
                }
            } else {
                bRan.countDown();
            }
        }));

        send(messaging, topic, TckEvents.keyedNote(id("a"), "key-a"));
        assertTrue(awaitLatch(aStarted), "key-a's handler never started");
        send(messaging, topic, TckEvents.keyedNote(id("b"), "key-b"));

        assertTrue(awaitLatch(bRan), "key-b's handler did not run while key-a's blocked");
        awaitUntil(aSawB::get, () -> "key-a's handler did not see key-b run");
    }

    @Test
    @Rule(id = "OR-04", check = "InboundMessage.key() is null for a message without key, and receive() hands out"
            + " messages while a keyed one is unsettled")
    void eventsWithoutKeyAreNotBlockedByASlowKeyedEvent() {
        Messaging messaging = open();
        String topic = topic("unkeyed");
        CountDownLatch keyedStarted = latch(1);
        CountDownLatch unkeyedRan = latch(5);
        AtomicBoolean keyedSawThem = new AtomicBoolean();
        messaging.subscribe(Subscription.to(topic).group(group("unkeyed")).concurrency(2).onEnvelope((e, ctx) -> {
            if (e.partitionKey().isPresent()) {
                keyedStarted.countDown();
                if (ctx.attempt() == 1) {
                    keyedSawThem.set(awaitLatch(unkeyedRan));
                }
            } else {
                unkeyedRan.countDown();
            }
        }));

        send(messaging, topic, TckEvents.keyedNote(id("slow"), "slow-key"));
        assertTrue(awaitLatch(keyedStarted), "the keyed handler never started");
        assertTrue(join(messaging.publisher().publishAll(topic, notes("free", 5))).allSucceeded());

        assertTrue(awaitLatch(unkeyedRan), () -> (5 - unkeyedRan.getCount()) + " of 5 unkeyed events ran");
        awaitUntil(keyedSawThem::get, () -> "the keyed handler did not see the unkeyed events run");
    }

    /** {@code count} events spread round-robin over {@code keys} keys, each with its key and sequence. */
    private static List<EventEnvelope> keyedEvents(Messaging messaging, int keys, int count) {
        int[] next = new int[keys];
        return IntStream.range(0, count).mapToObj(i -> {
            String key = "key-" + (i % keys);
            Keyed payload = new Keyed(key, next[i % keys]++);
            return messaging.publisher().envelope(payload).partitionKey(key).build();
        }).toList();
    }

    /** Per key, the sequences in handling order, and whether two events of one key ever ran at once. */
    private static final class PerKeyLog {
        private final Map<String, List<Integer>> sequences = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
        private final List<String> overlaps = new ArrayList<>();
        private final AtomicInteger total = new AtomicInteger();

        void handle(Keyed event) {
            AtomicInteger active = running.computeIfAbsent(event.key(), k -> new AtomicInteger());
            if (active.incrementAndGet() > 1) {
                synchronized (overlaps) {
                    overlaps.add(event.key() + "#" + event.sequence());
                }
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

        void assertEveryKeyInOrder(int keys, int maxPerKey, int count) {
            synchronized (overlaps) {
                assertTrue(overlaps.isEmpty(), () -> "events of one key ran concurrently: " + overlaps);
            }
            assertEquals(keys, sequences.size(), () -> "keys seen: " + sequences.keySet());
            int sum = 0;
            for (Map.Entry<String, List<Integer>> entry : new TreeMap<>(sequences).entrySet()) {
                List<Integer> seen;
                synchronized (entry.getValue()) {
                    seen = List.copyOf(entry.getValue());
                }
                int n = seen.size();
                assertTrue(n <= maxPerKey, () -> entry.getKey() + " handled " + n + " events: " + seen);
                assertEquals(IntStream.range(0, n).boxed().toList(), seen, () -> "order of " + entry.getKey());
                sum += n;
            }
            assertEquals(count, sum, "events handled in all");
        }
    }
}
