package dev.switchboard.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.MessagingException;
import dev.switchboard.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Connections dropped and the node restarted while at least 10 000 events stream through (the stream goes on
 * until both faults are over): every event whose publish completed is received, and the subscription resumes by
 * itself. Publishes caught by an outage wait it out (the
 * core retries them within the publish timeout) instead of failing. The broker is left running.
 */
@Timeout(300)
class RabbitMqFaultTest {
    private static final int EVENTS = 10_000;
    private static final int MAX_UNCONFIRMED = 500;
    private static final Duration RETRY_DELAY = Duration.ofMillis(200);
    /** 1 000 events a second: the stream lasts 10 s at least, and as long as the faults take. */
    private static final Duration PACE = Duration.ofMillis(1);
    /**
     * How long a publish caught by an outage waits at least: the driver reconnects once a second, so half that,
     * well above a publish's latency when no outage holds it up.
     */
    private static final Duration OUTAGE_WAIT = Duration.ofMillis(500);

    @Test
    void everyConfirmedEventIsReceivedAcrossDroppedConnectionsAndANodeRestart() throws Exception {
        assumeTrue(RabbitMqTestBroker.canInjectFaults(), "the RabbitMQ node is not the local one scripts/ manage");
        String topic = "fault-" + UUID.randomUUID();
        Set<String> confirmed = ConcurrentHashMap.newKeySet();
        Set<String> received = ConcurrentHashMap.newKeySet();
        List<Throwable> fatal = new CopyOnWriteArrayList<>();
        AtomicInteger retries = new AtomicInteger();
        AtomicLong slowestNanos = new AtomicLong();
        AtomicBoolean faultsOver = new AtomicBoolean();
        int published;
        try (Messaging publisherService = Messaging.fromConfig(RabbitMqTestBroker.properties(Map.of("switchboard.publish.timeout", "20s")));
             Messaging consumerService = Messaging.fromConfig(RabbitMqTestBroker.properties(Map.of()))) {
            consumerService.subscribe(Subscription.to(topic).group("ledger").concurrency(4)
                    .onEnvelope((event, ctx) -> received.add(event.id())));

            CompletableFuture<Integer> stream = CompletableFuture.supplyAsync(
                    () -> publish(publisherService, topic, confirmed, fatal, retries, slowestNanos, faultsOver));
            await().atMost(Duration.ofSeconds(60)).until(() -> confirmed.size() >= EVENTS / 5);
            RabbitMqTestBroker.fault("close-connections");
            await().atMost(Duration.ofSeconds(60)).until(() -> confirmed.size() >= EVENTS / 2);
            RabbitMqTestBroker.fault("restart-node");
            faultsOver.set(true);
            published = stream.get();

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> received.containsAll(confirmed));
        }

        assertThat(fatal).as("publishes that failed with a non-retryable error").isEmpty();
        assertThat(Duration.ofNanos(slowestNanos.get())).as("the slowest publish: the outages held publishes up")
                .isGreaterThan(OUTAGE_WAIT);
        assertThat(confirmed).hasSize(published);
        assertThat(received).containsAll(confirmed);
        System.out.printf("fault test: %d events confirmed, the slowest after %d ms; %d publishes failed and were published"
                + " again%n", published, Duration.ofNanos(slowestNanos.get()).toMillis(), retries.get());
    }

    /**
     * Publishes asynchronously with a bounded number of unconfirmed events, as a real service would, and
     * publishes again what failed with a retryable error (an outage longer than the publish timeout); other
     * failures are recorded. Goes on until {@link #EVENTS} are published and the faults are over.
     *
     * @return how many events it published
     */
    private static int publish(Messaging messaging, String topic, Set<String> confirmed, List<Throwable> fatal,
                               AtomicInteger retries, AtomicLong slowestNanos, AtomicBoolean faultsOver) {
        Semaphore window = new Semaphore(MAX_UNCONFIRMED);
        long start = System.nanoTime();
        int i = 0;
        for (; i < EVENTS || !faultsOver.get(); i++) {
            // paced, so that the stream is still flowing when the faults hit (pacing, not synchronisation)
            LockSupport.parkNanos(start + i * PACE.toNanos() - System.nanoTime());
            window.acquireUninterruptibly();
            publishUntilConfirmed(messaging, topic, "e-" + i, confirmed, fatal, retries, slowestNanos, window);
        }
        window.acquireUninterruptibly(MAX_UNCONFIRMED);
        return i;
    }

    private static void publishUntilConfirmed(Messaging messaging, String topic, String id, Set<String> confirmed,
                                              List<Throwable> fatal, AtomicInteger retries, AtomicLong slowestNanos,
                                              Semaphore window) {
        long start = System.nanoTime();
        messaging.publisher().publish(topic, EventEnvelope.builder().id(id).type("fault.tick").data(id).build())
                .whenComplete((result, error) -> {
                    if (error == null) {
                        slowestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                        confirmed.add(id);
                        window.release();
                    } else if (error instanceof MessagingException m && m.isRetryable()) {
                        retries.incrementAndGet();
                        CompletableFuture.runAsync(() -> publishUntilConfirmed(messaging, topic, id, confirmed, fatal,
                                retries, slowestNanos, window),
                                CompletableFuture.delayedExecutor(RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS));
                    } else {
                        fatal.add(error);
                        window.release();
                    }
                });
    }
}
