package dev.switchboard.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.Connectivity;
import dev.switchboard.EventEnvelope;
import dev.switchboard.Health;
import dev.switchboard.Messaging;
import dev.switchboard.Subscription;
import dev.switchboard.SubscriptionHealth;
import dev.switchboard.SubscriptionState;
import dev.switchboard.testkit.tck.ConformanceHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code Messaging.health()} on SNS + SQS (the fauxqs emulator): the lag is the queue's approximate visible plus
 * not visible messages, and an emulator that stops answering (frozen: it accepts connections, answers nothing) shows
 * as a recovering subscription once a long poll stays unanswered past its wait plus the connect timeout. The
 * emulator is thawed in any case.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class AwsHealthTest {
    private static final int EVENTS = 20;
    /** concurrency 1 × prefetch 2: the subscription holds at most 2 deliveries, far fewer than {@link #EVENTS}. */
    private static final int WINDOW = 2;
    /**
     * Short, so that an unanswered call is noticed quickly (with the 2 s long polls of {@link AwsTestBroker}) and
     * the lag's call gives up quickly.
     */
    private static final Map<String, String> SHORT_TIMEOUT = Map.of("switchboard.connect-timeout", "2s");

    @Test
    void theLagCountsTheQueuedAndTheReceivedMessagesAndFallsToZeroOnceHandled() throws Exception {
        String topic = "health-lag-" + UUID.randomUUID();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger handled = new AtomicInteger();
        try (Messaging messaging = Messaging.fromConfig(AwsTestBroker.properties(SHORT_TIMEOUT))) {
            messaging.subscribe(Subscription.to(topic).group("ledger").concurrency(1).prefetch(WINDOW)
                    .onEnvelope((event, ctx) -> {
                        release.await();
                        handled.incrementAndGet();
                    }));
            assertThat(messaging.publisher().publishAll(topic, events(EVENTS)).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS).allSucceeded()).isTrue();

            // the window is received (not visible), the rest waits visible: both count until deleted
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                SubscriptionHealth health = subscription(messaging.health(), topic);
                assertThat(health.lag()).hasValue(EVENTS);
                assertThat(health.inFlight()).isBetween(1, WINDOW);
            });

            release.countDown();
            await().atMost(Duration.ofSeconds(60)).until(() -> handled.get() == EVENTS);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(subscription(messaging.health(), topic).lag()).hasValue(0));
        } finally {
            release.countDown();
        }
    }

    @Test
    void aFrozenEmulatorShowsTheSubscriptionRecoveringUntilItAnswersAgain() throws Exception {
        ConformanceHarness harness = new AwsConformanceTest().harness();
        assumeTrue(harness.canInterruptBroker(), harness::whyNoInterrupt);
        String topic = "health-outage-" + UUID.randomUUID();
        Set<String> received = ConcurrentHashMap.newKeySet();
        try (Messaging messaging = Messaging.fromConfig(AwsTestBroker.properties(SHORT_TIMEOUT))) {
            messaging.subscribe(Subscription.to(topic).group("ledger").onEnvelope((event, ctx) -> received.add(event.id())));
            publishAndAwait(messaging, topic, "before", received);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Health health = messaging.health();
                assertThat(subscription(health, topic).state()).isEqualTo(SubscriptionState.RUNNING);
                assertThat(health.status()).isEqualTo(Health.Status.UP);
                assertThat(health.connectivity()).isEqualTo(Connectivity.CONNECTED);
            });

            CompletableFuture<?> during;
            harness.interruptBroker();
            try {
                // a publish the frozen emulator leaves unanswered: the driver's connectivity follows the publishes
                during = messaging.publisher().publish(topic, event("during")).toCompletableFuture();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    Health health = messaging.health();
                    assertThat(subscription(health, topic).state()).isEqualTo(SubscriptionState.RECOVERING);
                    assertThat(health.status()).isNotEqualTo(Health.Status.UP);
                    assertThat(health.connectivity()).as("SNS, for the publisher").isEqualTo(Connectivity.DISCONNECTED);
                });
            } finally {
                harness.resumeBroker();
            }
            during.get(60, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                Health health = messaging.health();
                assertThat(subscription(health, topic).state()).isEqualTo(SubscriptionState.RUNNING);
                assertThat(health.status()).isEqualTo(Health.Status.UP);
            });
            publishAndAwait(messaging, topic, "after", received);
            await().atMost(Duration.ofSeconds(60)).until(() -> received.contains("during"));
        }
    }

    private static void publishAndAwait(Messaging messaging, String topic, String id, Set<String> received)
            throws Exception {
        messaging.publisher().publish(topic, event(id)).toCompletableFuture().get(60, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(60)).until(() -> received.contains(id));
    }

    private static EventEnvelope event(String id) {
        return EventEnvelope.builder().id(id).type("health.tick").data(id).build();
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
