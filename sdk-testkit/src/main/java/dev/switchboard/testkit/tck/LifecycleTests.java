package dev.switchboard.testkit.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.ErrorCode;
import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.MessagingException;
import dev.switchboard.PublishResult;
import dev.switchboard.Publisher;
import dev.switchboard.Subscriber;
import dev.switchboard.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Lifecycle: closing drains, is idempotent and bounded, loses nothing, and what is closed says so.
 *
 * @since 0.1
 */
public abstract class LifecycleTests extends TckSupport {

    @Test
    @Rule(id = "LC-01", check = "publish futures complete only on the broker's confirm, and a closing receiver gives"
            + " back, never acks, what it did not settle")
    void tenThousandEventsFromTwentyThreadsThenCloseLosesNone() {
        String topic = topic("load");
        String group = group("load");
        Set<String> handled = ConcurrentHashMap.newKeySet();
        Subscriber first = open().subscribe(Subscription.to(topic).group(group).concurrency(8)
                .onEnvelope((e, ctx) -> handled.add(e.id())));
        Messaging publishing = open();
        Set<String> published = ConcurrentHashMap.newKeySet();
        ExecutorService threads = executor(20);
        List<CompletableFuture<Void>> publishers = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            List<EventEnvelope> mine = notes("load-t" + t, 500);
            publishers.add(CompletableFuture.runAsync(() -> {
                List<CompletableFuture<PublishResult>> confirms = new ArrayList<>();
                mine.forEach(e -> confirms.add(publishing.publisher().publish(topic, e).toCompletableFuture()));
                confirms.forEach(c -> published.add(c.join().eventId()));
            }, threads));
        }

        awaitUntil(() -> handled.size() >= 2_000, () -> handled.size() + " handled");
        first.close(Duration.ofSeconds(10));
        open().subscribe(Subscription.to(topic).group(group).concurrency(8).onEnvelope((e, ctx) -> handled.add(e.id())));
        join(CompletableFuture.allOf(publishers.toArray(CompletableFuture[]::new)));

        assertEquals(10_000, published.size(), "confirmed publishes");
        awaitUntil(() -> handled.containsAll(published), () -> {
            Set<String> missing = ConcurrentHashMap.newKeySet();
            missing.addAll(published);
            missing.removeAll(handled);
            return missing.size() + " never handled, such as " + abbreviate(missing);
        });
    }

    @Test
    @Rule(id = "LC-02", check = "ReceiverDriver.close and BrokerDriver.close may be called again and return at once")
    void closeIsIdempotent() {
        Messaging messaging = open();
        Subscriber subscriber = messaging.subscribe(Subscription.to(topic("idempotent")).group(group("idempotent"))
                .onEnvelope((e, ctx) -> { }));

        boolean first = subscriber.close(Duration.ofSeconds(5));
        subscriber.close(Duration.ofSeconds(5));
        subscriber.close();

        assertTrue(first, "nothing was in flight, so the first close drains in time");
        assertFalse(subscriber.isRunning());
        messaging.close(Duration.ofSeconds(5));
        messaging.close(Duration.ofSeconds(5));
        messaging.close();
    }

    @Test
    @Rule(id = "LC-03", check = "receive() returns within its maxWait, and close() does not wait for unsettled"
            + " messages")
    void closeFinishesWhileAHandlerBlocks() {
        Messaging messaging = open();
        String topic = topic("blocked");
        CountDownLatch started = latch(1);
        CountDownLatch never = latch(1);
        Subscriber subscriber = messaging.subscribe(Subscription.to(topic).group(group("blocked")).onEnvelope((e, ctx) -> {
            started.countDown();
            awaitLatch(never);
        }));
        send(messaging, topic, TckEvents.note(id("blocking")));
        assertTrue(awaitLatch(started), "the handler never started");

        long start = System.nanoTime();
        boolean drained = subscriber.close(Duration.ofMillis(200));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertFalse(drained, "a handler was still running, so close must report it did not drain");
        assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, () -> "close(200ms) took " + took);
        assertFalse(subscriber.isRunning());
    }

    @Test
    @Rule(id = "LC-04", check = "ReceiverDriver.pause() stops new messages while ack and nack keep working; close()"
            + " gives back only what is unsettled")
    void drainAcknowledgesFinishedWorkAndRedeliversTheRest() {
        String topic = topic("drain");
        String group = group("drain");
        String fast = id("fast");
        String late = id("late");
        String stuck = id("stuck");
        CountDownLatch lateStarted = latch(1);
        CountDownLatch stuckStarted = latch(1);
        CountDownLatch lateRelease = latch(1);
        CountDownLatch never = latch(1);
        Set<String> finished = ConcurrentHashMap.newKeySet();
        Messaging firstService = open();
        Subscriber first = firstService.subscribe(Subscription.to(topic).group(group).concurrency(4).onEnvelope((e, ctx) -> {
            if (e.id().startsWith(late)) {
                lateStarted.countDown();
                awaitLatch(lateRelease);
            } else if (e.id().startsWith(stuck)) {
                stuckStarted.countDown();
                awaitLatch(never);
                return;
            }
            finished.add(e.id());
        }));
        assertTrue(join(firstService.publisher().publishAll(topic,
                List.of(TckEvents.note(fast + "-1"), TckEvents.note(fast + "-2")))).allSucceeded());
        awaitUntil(() -> finished.size() == 2, finished::toString);
        send(firstService, topic, TckEvents.note(late));
        send(firstService, topic, TckEvents.note(stuck));
        assertTrue(awaitLatch(lateStarted) && awaitLatch(stuckStarted), "handlers did not start");

        CompletableFuture<Boolean> closing = CompletableFuture.supplyAsync(() -> first.close(Duration.ofSeconds(2)));
        awaitUntil(() -> !first.isRunning(), () -> "close did not start");
        lateRelease.countDown();
        boolean drained = join(closing);

        assertFalse(drained, "one handler never finished");
        assertTrue(finished.contains(late), "the late handler finished during the drain");
        Set<String> redelivered = ConcurrentHashMap.newKeySet();
        open().subscribe(Subscription.to(topic).group(group).onEnvelope((e, ctx) -> redelivered.add(e.id())));
        awaitUntil(() -> redelivered.contains(stuck), redelivered::toString);
        assertDuringQuietPeriod(() -> redelivered.equals(Set.of(stuck)),
                () -> "only the unfinished event may come back, got " + redelivered);
    }

    @Test
    @Rule(id = "LC-05", check = "the core's closed checks report FAILED_PRECONDITION; a driver must not be called"
            + " after BrokerDriver.close")
    void useAfterCloseFailsClearly() {
        Messaging messaging = open();
        String topic = topic("closed");
        Publisher publisher = messaging.publisher();
        Subscription subscription = Subscription.to(topic).group(group("closed")).onEnvelope((e, ctx) -> { }).build();

        messaging.close(Duration.ofSeconds(5));

        assertFailedPrecondition(assertThrows(MessagingException.class, messaging::publisher));
        assertFailedPrecondition(assertThrows(MessagingException.class, () -> messaging.subscribe(subscription)));
        assertFailedPrecondition(assertThrows(MessagingException.class, () -> messaging.deadLetters(topic, "g")));
        MessagingException keptPublisher;
        try {
            CompletionStage<PublishResult> stage = publisher.publish(topic, TckEvents.note(id("late")));
            keptPublisher = failureOf(stage);
        } catch (MessagingException e) {
            keptPublisher = e;
        }
        assertFailedPrecondition(keptPublisher);
    }

    @Test
    @Rule(id = "LC-06", check = "ReceiverDriver.close must not wait for the thread that calls it, which may be a"
            + " handler's")
    void closingTheSubscriberFromItsOwnHandlerDoesNotDeadlock() {
        Messaging messaging = open();
        String topic = topic("self-close");
        AtomicReference<Subscriber> self = new AtomicReference<>();
        AtomicLong closeTookMillis = new AtomicLong(-1);
        Subscriber subscriber = messaging.subscribe(Subscription.to(topic).group(group("self-close")).onEnvelope((e, ctx) -> {
            long start = System.nanoTime();
            self.get().close(Duration.ofSeconds(10));
            closeTookMillis.set(Duration.ofNanos(System.nanoTime() - start).toMillis());
        }));
        self.set(subscriber);

        send(messaging, topic, TckEvents.note(id("self-close")));

        awaitUntil(() -> closeTookMillis.get() >= 0, () -> "close() inside the handler never returned");
        assertTrue(closeTookMillis.get() < 5_000,
                () -> "close() inside the handler waited " + closeTookMillis.get() + " ms for the handler itself");
        assertFalse(subscriber.isRunning());
    }

    @Test
    @Rule(id = "LC-07", check = "receive(max, ...) returns at most max messages, and the client's prefetch follows"
            + " ReceiverSpec.maxInFlight (basic.qos, max.poll.records)")
    void inFlightDeliveriesAreBounded() {
        Messaging messaging = open();
        String topic = topic("bounded");
        CountDownLatch release = latch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        Subscriber subscriber = messaging.subscribe(Subscription.to(topic).group(group("bounded")).concurrency(2).prefetch(1)
                .onEnvelope((e, ctx) -> {
                    running.incrementAndGet();
                    awaitLatch(release);
                    done.incrementAndGet();
                }));
        assertTrue(join(messaging.publisher().publishAll(topic, notes("bounded", 20))).allSucceeded());
        awaitUntil(() -> running.get() >= 2, () -> running.get() + " handlers running");

        int maxInFlight = 0;
        long maxReceived = 0;
        long until = System.nanoTime() + harness().quietPeriod().toNanos();
        while (System.nanoTime() < until) {
            maxInFlight = Math.max(maxInFlight, subscriber.stats().inFlight());
            maxReceived = Math.max(maxReceived, subscriber.stats().received());
            pause(Duration.ofMillis(10));
        }
        int runningWhileBlocked = running.get(); // read before the release lets the other 18 start
        release.countDown();

        assertEquals(2, runningWhileBlocked, "handlers running while blocked");
        assertTrue(maxInFlight <= 2, "in flight with concurrency 2 and prefetch 1 was " + maxInFlight);
        assertTrue(maxReceived <= 2, "received with concurrency 2 and prefetch 1 was " + maxReceived);
        awaitUntil(() -> done.get() >= 20, () -> done.get() + " of 20 handled after release");
    }

    private static void assertFailedPrecondition(MessagingException e) {
        assertInstanceOf(MessagingException.class, e);
        assertEquals(ErrorCode.FAILED_PRECONDITION, e.code(), () -> "failure " + e);
    }
}
