package dev.switchboard.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Seeded fault injection lets users see their idempotency at work, repeatably. */
class FaultInjectionTest {
    private static final int EVENTS = 200;

    @Test
    void injectedDuplicatesAreDeliveredAndTheSameSeedGivesTheSameCount() {
        int first = duplicatesDelivered(42, false);
        int second = duplicatesDelivered(42, false);

        assertThat(first).isGreaterThan(0).isEqualTo(second);
    }

    @Test
    void deduplicationHidesInjectedDuplicatesFromTheHandler() {
        assertThat(duplicatesDelivered(42, true)).isZero();
    }

    /** Publishes {@link #EVENTS} events with a 20 % duplicate rate; returns how many extra calls the handler saw. */
    private static int duplicatesDelivered(long seed, boolean deduplicate) {
        InMemoryBroker broker = InMemoryBroker.create();
        List<String> handled = new CopyOnWriteArrayList<>();
        Set<String> distinct = ConcurrentHashMap.newKeySet();
        try (Messaging messaging = broker.connect(Map.of(
                "switchboard.in-memory.fault.seed", Long.toString(seed),
                "switchboard.in-memory.fault.duplicate-probability", "0.2"))) {
            Subscription.Builder subscription = Subscription.to("payments").group("ledger")
                    .on("payment", String.class, (text, ctx) -> {
                        handled.add(text);
                        distinct.add(text);
                    });
            if (deduplicate) {
                subscription.deduplicate(Duration.ofMinutes(1));
            }
            messaging.subscribe(subscription);
            IntStream.range(0, EVENTS).forEach(i -> messaging.publisher().publishAndWait("payments",
                    EventEnvelope.builder().id("p-" + i).type("payment").data("p-" + i).build()));

            await().atMost(Duration.ofSeconds(10)).until(() -> distinct.size() == EVENTS);
            // every duplicate copy is queued behind the originals; once the queue is empty, all were delivered
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    broker.consumed().inGroup("ledger").count() >= EVENTS && queueEmpty(messaging));
        }
        return handled.size() - distinct.size();
    }

    private static boolean queueEmpty(Messaging messaging) {
        return messaging.unwrap(dev.switchboard.inmemory.internal.InMemoryEngine.class).orElseThrow()
                .group("payments", "ledger").depth() == 0;
    }
}
