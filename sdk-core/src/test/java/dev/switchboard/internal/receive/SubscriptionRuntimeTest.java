package dev.switchboard.internal.receive;

import static dev.switchboard.internal.receive.TestMessage.event;
import static dev.switchboard.internal.receive.TestMessage.keyed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.SubscriberStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The parts wired together by the facade, fed by a real poller thread from a scripted receiver. */
class SubscriptionRuntimeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<SubscriptionRuntime> closed = new CopyOnWriteArrayList<>();
    private SubscriptionRuntime runtime;

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.close(WAIT);
        }
    }

    @Test
    void theWindowNeverHandsOutMoreThanConcurrencyTimesPrefetch() {
        ScriptedReceiver receiver = new ScriptedReceiver();
        for (int i = 1; i <= 40; i++) {
            receiver.deliver(event("m" + i));
        }
        ManualWorkers workers = new ManualWorkers();
        runtime = Runtimes.start(new TestSettings().window(2, 2), receiver, new ManualScheduler(), workers,
                (text, context) -> { }, closed::add);

        while (receiver.calls("ack").size() < 40) {
            await().atMost(WAIT).until(() -> workers.queued() > 0);
            workers.runAll();
        }

        assertThat(receiver.mostHeld()).isEqualTo(4);
        assertThat(runtime.stats()).isEqualTo(new SubscriberStats(40, 40, 0, 0, 0, 0, 0));
    }

    @Test
    void theSameKeyRunsOneAtATimeInOrderWhileDifferentKeysRunConcurrently() throws InterruptedException {
        ScriptedReceiver receiver = new ScriptedReceiver();
        for (int i = 1; i <= 20; i++) {
            receiver.deliver(keyed("a" + i, "a"), keyed("b" + i, "b"));
        }
        Map<String, List<String>> orderByKey = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> runningByKey = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        CountDownLatch firstOfEachKeyRunning = new CountDownLatch(2);
        AtomicInteger done = new AtomicInteger();
        runtime = Runtimes.start(new TestSettings().perKey().window(4, 4), receiver, new ManualScheduler(),
                Workers.pool(4, runnable -> new Thread(runnable, "test-worker")), (text, context) -> {
                    String key = context.envelope().partitionKey().orElseThrow();
                    if (runningByKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() > 1) {
                        overlaps.incrementAndGet();
                    }
                    orderByKey.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(context.envelope().id());
                    if (Set.of("a1", "b1").contains(context.envelope().id())) {
                        // a1 and b1 each wait for the other: both must be running at once
                        firstOfEachKeyRunning.countDown();
                        firstOfEachKeyRunning.await(10, TimeUnit.SECONDS);
                    }
                    runningByKey.get(key).decrementAndGet();
                    done.incrementAndGet();
                }, closed::add);

        await().atMost(WAIT).until(() -> done.get() == 40);

        assertThat(firstOfEachKeyRunning.getCount()).as("a1 and b1 ran at the same time").isZero();
        assertThat(overlaps.get()).isZero();
        assertThat(orderByKey.get("a")).containsExactlyElementsOf(ids("a", 20));
        assertThat(orderByKey.get("b")).containsExactlyElementsOf(ids("b", 20));
    }

    @Test
    void closingStopsTheSubscriptionAndTellsItsOwnerOnce() {
        ScriptedReceiver receiver = new ScriptedReceiver();
        runtime = Runtimes.start(new TestSettings(), receiver, new ManualScheduler(), new ManualWorkers(),
                (text, context) -> { }, closed::add);
        assertThat(runtime.isRunning()).isTrue();

        assertThat(runtime.close(WAIT)).isTrue();
        assertThat(runtime.close(WAIT)).isTrue();

        assertThat(runtime.isRunning()).isFalse();
        assertThat(closed).containsExactly(runtime);
        assertThat(receiver.calls()).containsExactly("pause", "close");
        assertThat(runtime.topic()).isEqualTo("orders");
        assertThat(runtime.group()).isEqualTo("billing");
    }

    private static List<String> ids(String key, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            ids.add(key + i);
        }
        return ids;
    }
}
