package dev.switchboard.internal.receive;

import static dev.switchboard.internal.receive.TestMessage.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.Connectivity;
import dev.switchboard.SubscriptionState;
import dev.switchboard.spi.InboundMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pollers against a scripted receiver: real poller threads, manual pauses, and batches collected instead
 * of dispatched. The window's slots are given back by hand, as settlement would.
 */
class ReceiveLoopTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private InFlight inFlight;
    private ReceiveLoop loop;

    @AfterEach
    void stop() {
        if (loop != null) {
            inFlight.startDraining();
            loop.stop(System.nanoTime() + WAIT.toNanos());
        }
    }

    private final ReceiveHealth health = new ReceiveHealth();

    private void start(ScriptedReceiver receiver, int maxInFlight) {
        ReceiveSettings settings = new TestSettings().window(1, maxInFlight).build();
        inFlight = new InFlight(settings.maxInFlight());
        loop = new ReceiveLoop(settings, receiver, inFlight, scheduler, Rig::classify, this::collect,
                runnable -> new Thread(runnable, "test-poller"), health);
        loop.start();
    }

    private void collect(List<? extends InboundMessage> batch) {
        batch.forEach(message -> received.add(message.transportId()));
    }

    @Test
    void aFailingReceiveBacksOffFrom100MillisecondsDoublingTo5SecondsAndRecovers() {
        ScriptedReceiver receiver = new ScriptedReceiver();
        for (int i = 0; i < 8; i++) {
            receiver.failReceive(new IllegalStateException("broker down"));
        }
        receiver.deliver(event("m1")).failReceive(new IllegalStateException("down again"));

        start(receiver, 4);

        await().atMost(WAIT).until(() -> scheduler.pauses().size() == 9);
        assertThat(scheduler.pauses()).containsExactly(ms(100), ms(200), ms(400), ms(800), ms(1600), ms(3200),
                ms(5000), ms(5000), ms(100));
        assertThat(received).containsExactly("m1");
    }

    @Test
    void healthIsStartingUntilAReceiveCompletesRecoveringWithTheCauseWhileReceivesFailAndRunningOnceOneSucceeds() {
        ScriptedReceiver receiver = new ScriptedReceiver();
        assertThat(health.state(false, false, Connectivity.UNKNOWN)).isEqualTo(SubscriptionState.STARTING);
        assertThat(health.sinceLastSuccess()).isEmpty();
        receiver.failReceive(new IllegalStateException("broker down"));

        start(receiver, 4);

        await().atMost(WAIT).until(() -> health.state(false, false, Connectivity.UNKNOWN) == SubscriptionState.RECOVERING);
        assertThat(health.cause(Connectivity.UNKNOWN)).hasValueSatisfying(cause -> assertThat(cause).contains("broker down"));
        receiver.deliver(event("m1"));
        await().atMost(WAIT).until(() -> health.state(false, false, Connectivity.UNKNOWN) == SubscriptionState.RUNNING);
        assertThat(health.cause(Connectivity.UNKNOWN)).isEmpty();
        assertThat(health.sinceLastSuccess()).hasValueSatisfying(since -> assertThat(since).isLessThan(WAIT));
    }

    @Test
    void aReceiverThatKnowsItsConnectionIsDownMakesARunningSubscriptionRecover() {
        assertThat(health.state(false, false, Connectivity.DISCONNECTED)).isEqualTo(SubscriptionState.RECOVERING);
        health.succeeded();
        assertThat(health.state(false, false, Connectivity.DISCONNECTED)).isEqualTo(SubscriptionState.RECOVERING);
        assertThat(health.cause(Connectivity.DISCONNECTED)).hasValueSatisfying(c -> assertThat(c).contains("connection"));
        assertThat(health.state(false, false, Connectivity.CONNECTED)).isEqualTo(SubscriptionState.RUNNING);
        assertThat(health.state(true, false, Connectivity.CONNECTED)).isEqualTo(SubscriptionState.PAUSED);
        assertThat(health.state(true, true, Connectivity.CONNECTED)).isEqualTo(SubscriptionState.CLOSED);
        health.died(new OutOfMemoryError("test"));
        assertThat(health.state(false, false, Connectivity.CONNECTED)).isEqualTo(SubscriptionState.FAILED);
        assertThat(health.cause(Connectivity.CONNECTED)).hasValueSatisfying(c -> assertThat(c).contains("OutOfMemoryError"));
    }

    @Test
    void aReceiveAsksForNoMoreThanTheFreeSlots() {
        ScriptedReceiver receiver = new ScriptedReceiver();
        for (int i = 1; i <= 10; i++) {
            receiver.deliver(event("m" + i));
        }

        start(receiver, 4);

        await().atMost(WAIT).until(() -> received.size() == 4);
        inFlight.window().release(3);
        await().atMost(WAIT).until(() -> received.size() == 7);
        inFlight.window().release(4);
        await().atMost(WAIT).until(() -> received.size() == 10);
        assertThat(receiver.receiveSizes()).startsWith(4, 3, 4);
    }

    @Test
    void slotsAReceiveDidNotFillAreGivenBack() {
        ScriptedReceiver receiver = new ScriptedReceiver().deliver(event("m1"));

        start(receiver, 4);

        // one slot held by m1, the other three free again for the next receive, which waits for messages
        await().atMost(WAIT).until(() -> receiver.receiveSizes().size() == 2);
        assertThat(receiver.receiveSizes()).containsExactly(4, 3);
    }

    @Test
    void aReceiveWaitsAsLongAsTheDriverPrefersWhenThatIsLongerThanThePollTimeout() {
        ScriptedReceiver longPolling = new ScriptedReceiver().preferredWait(Duration.ofMinutes(2)).deliver(event("m1"));

        start(longPolling, 4);

        await().atMost(WAIT).until(() -> !longPolling.receiveWaits().isEmpty());
        assertThat(longPolling.receiveWaits().get(0)).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void severalPollersShareTheWindow() {
        ScriptedReceiver receiver = new ScriptedReceiver().maxConcurrentReceives(2);

        start(receiver, 8);

        await().atMost(WAIT).until(() -> receiver.receiveSizes().size() == 2);
        assertThat(receiver.receiveSizes()).containsExactly(4, 4);
    }

    @Test
    void stopEndsAWaitingReceiveAndGivesItsSlotsBack() throws InterruptedException {
        ScriptedReceiver receiver = new ScriptedReceiver();
        start(receiver, 4);
        await().atMost(WAIT).until(() -> receiver.receiveSizes().size() == 1);

        inFlight.startDraining();
        loop.stop(System.nanoTime() + WAIT.toNanos());
        receiver.deliver(event("m1"));

        assertThat(inFlight.window().take(4, 4, 0, TimeUnit.NANOSECONDS)).isEqualTo(4);
        assertThat(receiver.receiveSizes()).hasSize(1);
        assertThat(received).isEmpty();
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
