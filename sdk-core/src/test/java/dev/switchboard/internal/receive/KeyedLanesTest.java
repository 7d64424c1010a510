package dev.switchboard.internal.receive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KeyedLanesTest {
    private final ExecutorService executor = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() throws InterruptedException {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    /** An item: its key, its sequence number, and what it does while running. */
    private record Item(String key, int seq, Runnable body) {
    }

    /** Lanes whose items run on the executor and report {@code finished} when their body returns. */
    private KeyedLanes<Item> lanesOnExecutor(KeyedLanes<Item>[] self) {
        KeyedLanes<Item> lanes = new KeyedLanes<>(item -> executor.execute(() -> {
            try {
                item.body().run();
            } finally {
                self[0].finished(item.key());
            }
        }));
        self[0] = lanes;
        return lanes;
    }

    @Test
    void firstItemOfAnIdleKeyStartsAtOnceOthersWait() {
        List<Integer> started = new ArrayList<>();
        KeyedLanes<Integer> lanes = new KeyedLanes<>(started::add);

        lanes.submit("a", 1);
        lanes.submit("a", 2);
        lanes.submit("a", 3);

        assertThat(started).containsExactly(1);
    }

    @Test
    void finishedStartsTheNextItemInOrder() {
        List<Integer> started = new ArrayList<>();
        KeyedLanes<Integer> lanes = new KeyedLanes<>(started::add);
        lanes.submit("a", 1);
        lanes.submit("a", 2);
        lanes.submit("a", 3);

        lanes.finished("a");
        assertThat(started).containsExactly(1, 2);
        lanes.finished("a");

        assertThat(started).containsExactly(1, 2, 3);
    }

    @Test
    void differentKeysStartIndependently() {
        List<Integer> started = new ArrayList<>();
        KeyedLanes<Integer> lanes = new KeyedLanes<>(started::add);

        lanes.submit("a", 1);
        lanes.submit("b", 2);
        lanes.submit("a", 3);
        lanes.submit("c", 4);

        assertThat(started).containsExactly(1, 2, 4);
    }

    @Test
    void laneIsRemovedWhenIdleSoTheNextSubmitStartsAtOnce() {
        List<Integer> started = new ArrayList<>();
        KeyedLanes<Integer> lanes = new KeyedLanes<>(started::add);
        lanes.submit("a", 1);
        lanes.submit("a", 2);
        lanes.finished("a");
        lanes.finished("a");

        lanes.submit("a", 3);

        assertThat(started).containsExactly(1, 2, 3);
    }

    @Test
    void finishedOnAnIdleKeyStartsNothing() {
        List<Integer> started = new ArrayList<>();
        KeyedLanes<Integer> lanes = new KeyedLanes<>(started::add);

        lanes.finished("never-seen");
        lanes.submit("a", 1);
        lanes.finished("a");
        lanes.finished("a");

        assertThat(started).containsExactly(1);
        lanes.submit("a", 2);
        assertThat(started).containsExactly(1, 2);
    }

    @Test
    void sameKeyRunsStrictlyOneAtATimeInOrder() {
        @SuppressWarnings("unchecked")
        KeyedLanes<Item>[] self = new KeyedLanes[1];
        KeyedLanes<Item> lanes = lanesOnExecutor(self);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        List<Integer> order = new CopyOnWriteArrayList<>();
        int items = 200;

        for (int i = 0; i < items; i++) {
            int seq = i;
            lanes.submit("k", new Item("k", seq, () -> {
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                order.add(seq);
                Thread.yield();
                running.decrementAndGet();
            }));
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> order.size() == items);
        assertThat(maxRunning.get()).isEqualTo(1);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            expected.add(i);
        }
        assertThat(order).containsExactlyElementsOf(expected);
    }

    @Test
    void differentKeysRunConcurrently() throws InterruptedException {
        @SuppressWarnings("unchecked")
        KeyedLanes<Item>[] self = new KeyedLanes[1];
        KeyedLanes<Item> lanes = lanesOnExecutor(self);
        CountDownLatch bothRunning = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        Runnable body = () -> {
            bothRunning.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };

        lanes.submit("a", new Item("a", 1, body));
        lanes.submit("b", new Item("b", 1, body));

        boolean concurrent = bothRunning.await(5, TimeUnit.SECONDS);
        release.countDown();
        assertThat(concurrent).as("items of keys a and b running at the same time").isTrue();
    }

    @Test
    void blockedKeyDoesNotHoldUpOtherKeys() throws InterruptedException {
        @SuppressWarnings("unchecked")
        KeyedLanes<Item>[] self = new KeyedLanes[1];
        KeyedLanes<Item> lanes = lanesOnExecutor(self);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch otherDone = new CountDownLatch(3);
        List<Integer> blockedOrder = new CopyOnWriteArrayList<>();

        lanes.submit("slow", new Item("slow", 1, () -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            blockedOrder.add(1);
        }));
        lanes.submit("slow", new Item("slow", 2, () -> blockedOrder.add(2)));
        for (int i = 0; i < 3; i++) {
            lanes.submit("fast", new Item("fast", i, otherDone::countDown));
        }

        boolean fastFinished = otherDone.await(5, TimeUnit.SECONDS);
        List<Integer> slowBeforeRelease = List.copyOf(blockedOrder);
        release.countDown();

        assertThat(fastFinished).isTrue();
        assertThat(slowBeforeRelease).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> blockedOrder.size() == 2);
        assertThat(blockedOrder).containsExactly(1, 2);
    }

    @Test
    void manyKeysManyItemsKeepPerKeyOrderUnderConcurrentSubmitters() throws InterruptedException {
        @SuppressWarnings("unchecked")
        KeyedLanes<Item>[] self = new KeyedLanes[1];
        KeyedLanes<Item> lanes = lanesOnExecutor(self);
        Map<String, List<Integer>> orderByKey = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> runningByKey = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        int keys = 4;
        int perKey = 100;
        ExecutorService submitters = Executors.newFixedThreadPool(keys);
        try {
            for (int k = 0; k < keys; k++) {
                String key = "key-" + k;
                orderByKey.put(key, new CopyOnWriteArrayList<>());
                runningByKey.put(key, new AtomicInteger());
                // one submitter per key, so submission order per key is well defined
                submitters.execute(() -> {
                    for (int i = 0; i < perKey; i++) {
                        int seq = i;
                        lanes.submit(key, new Item(key, seq, () -> {
                            if (runningByKey.get(key).incrementAndGet() > 1) {
                                overlaps.incrementAndGet();
                            }
                            orderByKey.get(key).add(seq);
                            runningByKey.get(key).decrementAndGet();
                            done.incrementAndGet();
                        }));
                    }
                });
            }

            await().atMost(Duration.ofSeconds(10)).until(() -> done.get() == keys * perKey);
        } finally {
            submitters.shutdownNow();
        }

        assertThat(overlaps.get()).isZero();
        orderByKey.values().forEach(order -> assertThat(order).isSorted().hasSize(perKey));
    }
}
