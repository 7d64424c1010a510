package dev.switchboard.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.Connectivity;
import dev.switchboard.EventEnvelope;
import dev.switchboard.Health;
import dev.switchboard.Messaging;
import dev.switchboard.Subscription;
import dev.switchboard.SubscriptionHealth;
import dev.switchboard.SubscriptionState;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code Messaging.health()} on the in-memory broker: the lag is the group queue's entries not yet acked (waiting or
 * in flight), and a stopped broker shows as a recovering subscription and a disconnected driver until started.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class InMemoryHealthTest {
    private static final int EVENTS = 20;
    /** concurrency 1 × prefetch 2: the subscription holds at most 2 deliveries, far fewer than {@link #EVENTS}. */
    private static final int WINDOW = 2;
    private final InMemoryBroker broker = InMemoryBroker.create();

    @AfterEach
    void closeBroker() {
        broker.close();
    }

    @Test
    void theLagCountsTheEntriesNotYetAckedAndFallsToZeroOnceHandled() throws Exception {
        String topic = "health-lag-" + UUID.randomUUID();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger handled = new AtomicInteger();
        try (Messaging messaging = broker.connect()) {
            messaging.subscribe(Subscription.to(topic).group("ledger").concurrency(1).prefetch(WINDOW)
                    .onEnvelope((event, ctx) -> {
                        release.await();
                        handled.incrementAndGet();
                    }));
            assertThat(messaging.publisher().publishAll(topic, events(EVENTS)).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS).allSucceeded()).isTrue();

            // the window is in flight, the rest waits: both count until acked
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                SubscriptionHealth health = subscription(messaging.health(), topic);
                assertThat(health.lag()).hasValue(EVENTS);
                assertThat(health.inFlight()).isBetween(1, WINDOW);
            });

            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> handled.get() == EVENTS);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(subscription(messaging.health(), topic).lag()).hasValue(0));
        } finally {
            release.countDown();
        }
    }

    @Test
    void aStoppedBrokerShowsTheSubscriptionRecoveringUntilItIsStarted() throws Exception {
        String topic = "health-outage-" + UUID.randomUUID();
        Set<String> received = ConcurrentHashMap.newKeySet();
        try (Messaging messaging = broker.connect()) {
            messaging.subscribe(Subscription.to(topic).group("ledger").onEnvelope((event, ctx) -> received.add(event.id())));
            publishAndAwait(messaging, topic, "before", received);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Health health = messaging.health();
                assertThat(subscription(health, topic).state()).isEqualTo(SubscriptionState.RUNNING);
                assertThat(health.status()).isEqualTo(Health.Status.UP);
                assertThat(health.connectivity()).isEqualTo(Connectivity.CONNECTED);
            });

            broker.stop();
            try {
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    Health health = messaging.health();
                    assertThat(subscription(health, topic).state()).isEqualTo(SubscriptionState.RECOVERING);
                    assertThat(health.status()).isNotEqualTo(Health.Status.UP);
                    assertThat(health.connectivity()).isEqualTo(Connectivity.DISCONNECTED);
                    assertThat(subscription(health, topic).lag()).as("nothing to ask while stopped").isEmpty();
                });
            } finally {
                broker.start();
            }

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Health health = messaging.health();
                assertThat(subscription(health, topic).state()).isEqualTo(SubscriptionState.RUNNING);
                assertThat(health.status()).isEqualTo(Health.Status.UP);
            });
            publishAndAwait(messaging, topic, "after", received);
        }
    }

    private static void publishAndAwait(Messaging messaging, String topic, String id, Set<String> received)
            throws Exception {
        messaging.publisher().publish(topic, EventEnvelope.builder().id(id).type("health.tick").data(id).build())
                .toCompletableFuture().get(60, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains(id));
    }

    private static List<EventEnvelope> events(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> EventEnvelope.builder().id("e-" + i).type("health.tick").data("e-" + i).build())
                .toList();
    }

    private static SubscriptionHealth subscription(Health health, String topic) {
        return health.subscriptions().stream().filter(s -> s.topic().equals(topic)).findFirst().orElseThrow();
    }
}
