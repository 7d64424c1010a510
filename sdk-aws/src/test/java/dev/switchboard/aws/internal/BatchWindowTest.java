package dev.switchboard.aws.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchWindowTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void batchesAreHandedOverFullAndInOrder() {
        BatchWindow<Integer> window = new BatchWindow<>(batches::add, timer, Duration.ofHours(1));

        IntStream.range(0, 25).forEach(window::add);

        assertThat(batches).containsExactly(IntStream.range(0, 10).boxed().toList(),
                IntStream.range(10, 20).boxed().toList());
        window.flush();
        assertThat(batches).last().isEqualTo(IntStream.range(20, 25).boxed().toList());
    }

    @Test
    void flushingAnEmptyWindowHandsOverNothing() {
        BatchWindow<Integer> window = new BatchWindow<>(batches::add, timer, Duration.ofHours(1));

        window.flush();

        assertThat(batches).isEmpty();
    }

    @Test
    void withoutARunningTimerABatchIsHandedOverAtOnce() {
        timer.shutdownNow();
        BatchWindow<Integer> window = new BatchWindow<>(batches::add, timer, Duration.ofHours(1));

        window.add(7);

        assertThat(batches).containsExactly(List.of(7));
    }
}
