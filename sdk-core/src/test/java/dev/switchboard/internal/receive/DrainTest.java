package dev.switchboard.internal.receive;

import static dev.switchboard.internal.receive.TestMessage.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.RejectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Graceful drain through the facade: what finishes is acked, what does not is given back, then the receiver closes. */
class DrainTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration BACKOFF = Duration.ofMillis(250);

    private final ScriptedReceiver receiver = new ScriptedReceiver();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final ManualWorkers workers = new ManualWorkers();
    private final List<SubscriptionRuntime> closed = new CopyOnWriteArrayList<>();
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private SubscriptionRuntime runtime;

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.close(WAIT);
        }
    }

    @Test
    void drainAcksWhatFinishesAndGivesBackAPendingLocalRetry() throws Exception {
        CountDownLatch paused = new CountDownLatch(1);
        receiver.onPause(paused::countDown).deliver(event("m1"), event("m2"));
        CompletableFuture<Boolean> closing = new CompletableFuture<>();
        runtime = Runtimes.start(new TestSettings().noRedeliveryDelay(), receiver, scheduler, workers, (text, context) -> {
            handled.add(context.envelope().id());
            if (context.envelope().id().equals("m1")) {
                throw new IllegalStateException("fails, to wait for a local retry");
            }
            // m2 is running when the drain starts, and finishes while it waits
            CompletableFuture.runAsync(() -> closing.complete(runtime.close(WAIT)));
            assertThat(paused.await(10, TimeUnit.SECONDS)).isTrue();
        }, closed::add);
        await().atMost(WAIT).until(() -> workers.queued() == 2);

        workers.runNext();
        assertThat(scheduler.waiting()).containsExactly(BACKOFF);
        workers.runNext();

        assertThat(closing.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(handled).containsExactly("m1", "m2");
        assertThat(receiver.calls()).containsSubsequence("pause", "nack m1 0ms", "close")
                .containsSubsequence("pause", "ack m2", "close")
                .doesNotContain("ack m1");
        assertThat(scheduler.waiting()).isEmpty();
        assertThat(closed).containsExactly(runtime);
    }

    @Test
    void aHandlerStillRunningAtTheTimeoutIsGivenBackAndItsLateOutcomeIgnored() throws InterruptedException {
        receiver.deliver(event("m1"));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> threads = new CopyOnWriteArrayList<>();
        runtime = Runtimes.start(new TestSettings(), receiver, scheduler, Workers.pool(1, runnable -> {
            Thread thread = new Thread(runnable, "test-worker");
            threads.add(thread);
            return thread;
        }), (text, context) -> {
            started.countDown();
            awaitUninterruptibly(release);
        }, closed::add);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        boolean drained = runtime.close(Duration.ofMillis(100));
        release.countDown();
        for (Thread thread : threads) {
            thread.join(WAIT.toMillis());
        }

        assertThat(drained).isFalse();
        assertThat(receiver.calls()).containsExactly("receive [m1]", "pause", "nack m1 0ms", "close");
        assertThat(runtime.stats().acknowledged()).isZero();
    }

    @Test
    void closeFromAHandlerDrainsInTheBackgroundAndAnotherCloseWaitsForIt() {
        receiver.deliver(event("m1"));
        List<Boolean> fromHandler = new CopyOnWriteArrayList<>();
        runtime = Runtimes.start(new TestSettings(), receiver, scheduler, workers,
                (text, context) -> fromHandler.add(runtime.close(WAIT)), closed::add);
        await().atMost(WAIT).until(() -> workers.queued() == 1);

        workers.runAll();

        assertThat(fromHandler).containsExactly(false);
        assertThat(runtime.close(WAIT)).isTrue();
        // the handler's ack and the background drain's pause race; the receiver closes after both
        assertThat(receiver.calls()).hasSize(4).startsWith("receive [m1]").endsWith("close").contains("pause", "ack m1");
        assertThat(closed).containsExactly(runtime);
    }

    @Test
    void drainGivesBackADeliveryWaitingToWriteItsDeadLetterAgain() {
        receiver.failDeadLetterWrites(1).deliver(event("m1"));
        runtime = Runtimes.start(new TestSettings().noRedeliveryDelay(), receiver, scheduler, workers, (text, context) -> {
            throw new RejectException("never valid");
        }, closed::add);
        await().atMost(WAIT).until(() -> workers.queued() == 1);
        workers.runAll();
        assertThat(scheduler.waiting()).containsExactly(BACKOFF);

        assertThat(runtime.close(WAIT)).isTrue();

        assertThat(scheduler.waiting()).isEmpty();
        assertThat(receiver.calls()).containsExactly("receive [m1]", "deadLetter failed m1", "pause", "nack m1 0ms",
                "close");
    }

    @Test
    void drainWaitsForAckCallsStillOutBeforeClosingTheReceiver() throws Exception {
        receiver.holdAcks().deliver(event("m1"));
        runtime = Runtimes.start(new TestSettings(), receiver, scheduler, workers, (text, context) -> { }, closed::add);
        await().atMost(WAIT).until(() -> workers.queued() == 1);
        workers.runAll();

        CompletableFuture<Boolean> closing = CompletableFuture.supplyAsync(() -> runtime.close(WAIT));
        await().atMost(WAIT).until(() -> receiver.calls().contains("pause"));
        receiver.completeHeldAcks();

        assertThat(closing.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(receiver.calls()).containsSubsequence("ack m1", "pause", "acks completed", "close");
    }

    @Test
    void anAckCallStillOutAtTheTimeoutMakesTheDrainIncomplete() {
        receiver.holdAcks().deliver(event("m1"));
        runtime = Runtimes.start(new TestSettings(), receiver, scheduler, workers, (text, context) -> { }, closed::add);
        await().atMost(WAIT).until(() -> workers.queued() == 1);
        workers.runAll();

        assertThat(runtime.close(Duration.ofMillis(100))).isFalse();
        assertThat(receiver.calls()).endsWith("close");
    }

    @Test
    void aFailedAckCallDoesNotHoldTheDrain() {
        receiver.failAcks(message -> true).deliver(event("m1"));
        runtime = Runtimes.start(new TestSettings(), receiver, scheduler, workers, (text, context) -> { }, closed::add);
        await().atMost(WAIT).until(() -> workers.queued() == 1);
        workers.runAll();

        assertThat(runtime.close(WAIT)).isTrue();
        assertThat(receiver.calls()).containsSubsequence("ack m1", "close");
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
