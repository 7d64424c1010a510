package dev.switchboard.aws.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AckBatcherTest {
    private static final Duration NEVER = Duration.ofHours(1);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<List<Integer>> calls = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void aFullBatchGoesOutAtOnceWithoutWaitingForTheLinger() throws Exception {
        try (AckBatcher<Integer> batcher = new AckBatcher<>("q", recording(), 1, NEVER, timer)) {
            List<CompletableFuture<Void>> done = submit(batcher, 0, 10);

            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

            assertThat(calls).containsExactly(IntStream.range(0, 10).boxed().toList());
        }
    }

    @Test
    void aPartialBatchGoesOutAfterTheLinger() throws Exception {
        try (AckBatcher<Integer> batcher = new AckBatcher<>("q", recording(), 1, Duration.ofMillis(5), timer)) {
            List<CompletableFuture<Void>> done = submit(batcher, 0, 3);

            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

            assertThat(calls).containsExactly(List.of(0, 1, 2));
        }
    }

    @Test
    void severalBatchCallsRunAtOnce() throws Exception {
        CountDownLatch allStarted = new CountDownLatch(3);
        CountDownLatch release = new CountDownLatch(1);
        AckBatcher.BatchCall<Integer> blocking = entries -> {
            allStarted.countDown();
            await(release);
            calls.add(entries);
            return Map.of();
        };
        try (AckBatcher<Integer> batcher = new AckBatcher<>("q", blocking, 3, NEVER, timer)) {
            List<CompletableFuture<Void>> done = submit(batcher, 0, 30);

            assertThat(allStarted.await(10, TimeUnit.SECONDS)).as("three calls under way at once").isTrue();
            assertThat(done).noneMatch(CompletableFuture::isDone);
            release.countDown();
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

            assertThat(calls).hasSize(3).allSatisfy(batch -> assertThat(batch).hasSize(10));
        }
    }

    @Test
    void aFailedEntryFailsItsOwnFutureAndIsCounted() throws Exception {
        IllegalStateException gone = new IllegalStateException("receipt handle expired");
        try (AckBatcher<Integer> batcher = new AckBatcher<>("q", entries -> Map.of(1, gone), 1, NEVER, timer)) {
            List<CompletableFuture<Void>> done = submit(batcher, 0, 10);

            assertThatThrownBy(() -> done.get(1).get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCause(gone);
            for (int i : List.of(0, 2, 9)) {
                done.get(i).get(10, TimeUnit.SECONDS);
            }
            assertThat(batcher.failures()).isEqualTo(1);
        }
    }

    @Test
    void aFailedCallFailsEveryEntryOfItsBatchAndCountsThem() throws Exception {
        RuntimeException down = new RuntimeException("connection refused");
        AckBatcher.BatchCall<Integer> failing = entries -> {
            throw down;
        };
        try (AckBatcher<Integer> batcher = new AckBatcher<>("q", failing, 2, NEVER, timer)) {
            List<CompletableFuture<Void>> done = submit(batcher, 0, 20);

            for (CompletableFuture<Void> future : done) {
                assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS)).hasCause(down);
            }
            assertThat(batcher.failures()).isEqualTo(20);
        }
    }

    @Test
    void closingSendsWhatWaitsAndRefusesMore() throws Exception {
        AckBatcher<Integer> batcher = new AckBatcher<>("q", recording(), 1, NEVER, timer);
        List<CompletableFuture<Void>> waiting = submit(batcher, 0, 3);

        batcher.close();

        assertThat(waiting).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(calls).containsExactly(List.of(0, 1, 2));
        assertThatThrownBy(() -> batcher.submit(3).get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
    }

    private AckBatcher.BatchCall<Integer> recording() {
        return entries -> {
            calls.add(entries);
            return Map.of();
        };
    }

    private static List<CompletableFuture<Void>> submit(AckBatcher<Integer> batcher, int from, int count) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            done.add(batcher.submit(i));
        }
        return done;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
