package dev.switchboard.testkit.tck;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.RetryAfterException;
import dev.switchboard.RetryPolicy;
import dev.switchboard.Subscriber;
import dev.switchboard.Subscription;
import dev.switchboard.spi.BrokerDriver;
import dev.switchboard.spi.Capability;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.ReceiverDriver;
import dev.switchboard.spi.ReceiverSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Acknowledgement and redelivery: only a handler that returned acknowledges; everything else comes back.
 *
 * @since 0.1
 */
public abstract class AckAndRedeliveryTests extends TckSupport {
    private static final RetryPolicy QUICK_RETRIES = RetryPolicy.fixed(5, Duration.ofMillis(50));

    @Test
    void handlerThatThrowsTwiceThenSucceedsIsCalledThreeTimes() {
        Messaging messaging = open();
        String topic = topic("retry-success");
        String group = group("retry-success");
        Inbox<Integer> attempts = new Inbox<>();
        messaging.subscribe(Subscription.to(topic).group(group).retry(QUICK_RETRIES).onEnvelope((e, ctx) -> {
            attempts.add(ctx.attempt());
            if (attempts.size() <= 2) {
                throw new IllegalStateException("TCK: failing attempt " + ctx.attempt());
            }
        }));

        send(messaging, topic, TckEvents.note(id("flaky")));

        awaitSize(attempts, 3);
        assertDuringQuietPeriod(() -> attempts.size() == 3, attempts::toString);
        assertEquals(List.of(1, 2, 3), attempts.snapshot());
        assertTrue(messaging.deadLetters(topic, group).list(10, harness().quietPeriod()).isEmpty(),
                "an event that finally succeeded must not be dead-lettered");
    }

    @Test
    void unacknowledgedOnCloseIsRedeliveredToTheNextSubscriber() {
        Redelivery redelivery = closeWhileHandlingAndResubscribe("unacked");

        assertEquals(redelivery.sentId(), redelivery.second().snapshot().get(0).envelope().id());
    }

    @Test
    void redeliveryAfterCloseCountsTheAttempt() {
        assumeCapability(open(), Capability.NATIVE_ATTEMPT_COUNT);

        Redelivery redelivery = closeWhileHandlingAndResubscribe("attempt-count");

        // at least 2: brokers count every hand-out, and a prefetched copy given back on close counts too
        int attempt = redelivery.second().snapshot().get(0).attempt();
        assertTrue(attempt >= 2, () -> "a broker that counts attempts natively keeps the count across subscribers,"
                + " but the redelivery says attempt " + attempt);
    }

    @Test
    void failureInsideABatchDoesNotDropItsNeighbours() {
        Messaging messaging = open();
        String topic = topic("batch-failure");
        List<EventEnvelope> events = notes("batch", 10);
        String failing = events.get(4).id();
        Set<String> succeeded = ConcurrentHashMap.newKeySet();
        Inbox<Integer> failingAttempts = new Inbox<>();
        messaging.subscribe(Subscription.to(topic).group(group("batch-failure")).retry(QUICK_RETRIES).concurrency(4)
                .onEnvelope((e, ctx) -> {
                    if (e.id().equals(failing)) {
                        failingAttempts.add(ctx.attempt());
                        if (ctx.attempt() == 1) {
                            throw new IllegalStateException("TCK: the fifth of the batch fails once");
                        }
                    }
                    succeeded.add(e.id());
                }));

        assertTrue(join(messaging.publisher().publishAll(topic, events)).allSucceeded());

        Set<String> ids = idsOf(events);
        awaitUntil(() -> succeeded.containsAll(ids), () -> succeeded.size() + " of " + ids.size() + ": " + succeeded);
        assertEquals(List.of(1, 2), failingAttempts.snapshot());
    }

    @Test
    void handlerThrowingAnErrorDoesNotKillTheDispatcher() {
        Messaging messaging = open();
        String topic = topic("error");
        String first = id("first");
        Set<String> succeeded = ConcurrentHashMap.newKeySet();
        Inbox<Integer> firstAttempts = new Inbox<>();
        messaging.subscribe(Subscription.to(topic).group(group("error")).retry(QUICK_RETRIES).onEnvelope((e, ctx) -> {
            if (e.id().equals(first)) {
                firstAttempts.add(ctx.attempt());
                if (ctx.attempt() == 1) {
                    throw new AssertionError("TCK: an Error, not an Exception");
                }
            }
            succeeded.add(e.id());
        }));

        send(messaging, topic, TckEvents.note(first));
        awaitSize(firstAttempts, 1);
        List<EventEnvelope> later = notes("later", 5);
        assertTrue(join(messaging.publisher().publishAll(topic, later)).allSucceeded());

        Set<String> ids = idsOf(later);
        awaitUntil(() -> succeeded.contains(first) && succeeded.containsAll(ids), succeeded::toString);
        assertEquals(List.of(1, 2), firstAttempts.snapshot());
    }

    @Test
    void retryAfterDelaysTheNextAttemptByAboutTheGivenDelay() {
        Messaging messaging = open();
        String topic = topic("retry-after");
        Duration delay = Duration.ofMillis(800);
        Inbox<Long> attemptTimes = new Inbox<>();
        messaging.subscribe(Subscription.to(topic).group(group("retry-after")).retry(RetryPolicy.fixed(3, Duration.ofMillis(10)))
                .onEnvelope((e, ctx) -> {
                    attemptTimes.add(System.nanoTime());
                    if (ctx.attempt() == 1) {
                        throw new RetryAfterException(delay, "TCK: downstream said Retry-After");
                    }
                }));

        send(messaging, topic, TckEvents.note(id("later")));

        awaitSize(attemptTimes, 2);
        Duration gap = Duration.ofNanos(attemptTimes.snapshot().get(1) - attemptTimes.snapshot().get(0));
        assertTrue(gap.toMillis() >= delay.toMillis() * 8 / 10, () -> "second attempt came after " + gap + ", asked " + delay);
    }

    @Test
    void ackIsIdempotentAtTheDriverLevel() throws Exception {
        Messaging messaging = open();
        String topic = topic("spi-ack");
        String group = group("spi-ack");
        BrokerDriver driver = messaging.unwrap(BrokerDriver.class).orElseThrow();
        ReceiverDriver receiver = openReceiver(driver, topic, group);
        String sentId = send(messaging, topic, TckEvents.note(id("ack"))).eventId();
        InboundMessage delivery = receiveUntil(driver, receiver, sentId);

        assertDoesNotThrow(() -> join(receiver.ack(List.of(delivery))));
        assertDoesNotThrow(() -> join(receiver.ack(List.of(delivery))), "a second ack must be harmless");

        List<String> seen = new ArrayList<>();
        long quietUntil = System.nanoTime() + harness().quietPeriod().toNanos();
        while (System.nanoTime() < quietUntil) {
            receiver.receive(10, Duration.ofMillis(100)).forEach(d -> seen.add(idOf(driver, d)));
        }
        receiver.close();
        ReceiverDriver fresh = openReceiver(driver, topic, group);
        quietUntil = System.nanoTime() + harness().quietPeriod().toNanos();
        while (System.nanoTime() < quietUntil) {
            fresh.receive(10, Duration.ofMillis(100)).forEach(d -> seen.add(idOf(driver, d)));
        }
        assertTrue(seen.isEmpty(), () -> "acknowledged event came back: " + seen);
    }

    /**
     * A nack gives the message back: at once to this receiver where the broker redelivers while it runs
     * ({@code REDELIVERY_DELAY}), else to the group's next receiver once this one closes.
     */
    @Test
    void nackAtTheDriverLevelGivesTheMessageBack() throws Exception {
        Messaging messaging = open();
        String topic = topic("spi-nack");
        String group = group("spi-nack");
        BrokerDriver driver = messaging.unwrap(BrokerDriver.class).orElseThrow();
        ReceiverDriver receiver = openReceiver(driver, topic, group);
        String sentId = send(messaging, topic, TckEvents.note(id("nack"))).eventId();
        InboundMessage first = receiveUntil(driver, receiver, sentId);

        join(receiver.nack(List.of(first), Duration.ZERO));

        boolean redeliversWhileRunning = driver.capabilities().contains(Capability.REDELIVERY_DELAY);
        if (!redeliversWhileRunning) {
            receiver.close();
        }
        ReceiverDriver next = redeliversWhileRunning ? receiver : openReceiver(driver, topic, group);
        InboundMessage second = receiveUntil(driver, next, sentId);
        if (redeliversWhileRunning || driver.capabilities().contains(Capability.NATIVE_ATTEMPT_COUNT)) {
            assertEquals(first.attempt() + 1, second.attempt(), "attempt of the redelivery");
        }
        join(next.ack(List.of(second)));
    }

    private Redelivery closeWhileHandlingAndResubscribe(String what) {
        String topic = topic(what);
        String group = group(what);
        Messaging firstService = open();
        CountDownLatch started = latch(1);
        CountDownLatch never = latch(1);
        Subscriber first = firstService.subscribe(Subscription.to(topic).group(group).onEnvelope((e, ctx) -> {
            started.countDown();
            awaitLatch(never);
        }));
        String sentId = send(firstService, topic, TckEvents.note(id(what))).eventId();
        assertTrue(awaitLatch(started), "the first subscriber never got the event");

        first.close(Duration.ofMillis(200));
        Inbox<Received> second = new Inbox<>();
        open().subscribe(Subscription.to(topic).group(group)
                .onEnvelope((e, ctx) -> second.add(new Received(e, ctx.attempt()))));

        awaitSize(second, 1);
        return new Redelivery(sentId, second);
    }

    /** A receiver of the group, provisioned as the core would (the driver alone keeps no policy). */
    private ReceiverDriver openReceiver(BrokerDriver driver, String topic, String group) {
        ReceiverSpec spec = new ReceiverSpec(topic, group, topic + "." + group + ".dlq", ReceiverSpec.Source.SUBSCRIPTION, 10);
        driver.topology().createTopic(topic);
        driver.topology().createReceiver(spec);
        return track(driver.openReceiver(spec));
    }

    private InboundMessage receiveUntil(BrokerDriver driver, ReceiverDriver receiver, String id) throws InterruptedException {
        List<String> others = new ArrayList<>();
        long deadline = System.nanoTime() + harness().timeout().toNanos();
        while (System.nanoTime() < deadline) {
            for (InboundMessage delivery : receiver.receive(10, Duration.ofMillis(200))) {
                String received = idOf(driver, delivery);
                if (id.equals(received)) {
                    return delivery;
                }
                others.add(received);
            }
        }
        throw new AssertionError("no delivery of " + id + " within " + harness().timeout() + "; got " + others);
    }

    /** The event id a message carries in its id header, as the core would read it. */
    private static String idOf(BrokerDriver driver, InboundMessage message) {
        String idHeader = driver.attributePrefix() + "id";
        String[] id = {message.transportId()};
        message.forEachHeader((name, value) -> {
            if (name.equalsIgnoreCase(idHeader)) {
                id[0] = value;
            }
        });
        return id[0];
    }

    private record Received(EventEnvelope envelope, int attempt) {
    }

    private record Redelivery(String sentId, Inbox<Received> second) {
    }
}
