package dev.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.Batching;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatcherTest {
    /** The calls made, each with the future that ends it; completed by the test. */
    private final List<List<Integer>> calls = new ArrayList<>();
    private final List<CompletableFuture<Void>> pendingCalls = new ArrayList<>();

    private Batcher<Integer> batcher(int maxBatchSize, int maxConcurrentBatches) {
        return new Batcher<>(new Batching(maxBatchSize, maxConcurrentBatches), batch -> {
            calls.add(batch);
            CompletableFuture<Void> done = new CompletableFuture<>();
            pendingCalls.add(done);
            return done;
        });
    }

    @Test
    void aLoneItemGoesAtOnce() {
        Batcher<Integer> batcher = batcher(10, 1);

        batcher.add(1);

        assertThat(calls).containsExactly(List.of(1));
    }

    @Test
    void itemsWaitWhileEverySlotIsBusyAndLeaveTogether() {
        Batcher<Integer> batcher = batcher(10, 1);
        batcher.add(1);

        batcher.add(2);
        batcher.add(3);
        batcher.add(4);

        assertThat(calls).containsExactly(List.of(1));
        pendingCalls.get(0).complete(null);
        assertThat(calls).containsExactly(List.of(1), List.of(2, 3, 4));
    }

    @Test
    void batchesNeverExceedTheLimitAndKeepTheOrderWithOneSlot() {
        Batcher<Integer> batcher = batcher(3, 1);
        batcher.add(0);
        IntStream.range(1, 8).forEach(batcher::add);

        for (int i = 0; i < 4; i++) {
            pendingCalls.get(i).complete(null);
        }

        assertThat(calls).containsExactly(List.of(0), List.of(1, 2, 3), List.of(4, 5, 6), List.of(7));
    }

    @Test
    void aFailedCallFreesItsSlot() {
        Batcher<Integer> batcher = batcher(10, 1);
        batcher.add(1);
        batcher.add(2);

        pendingCalls.get(0).completeExceptionally(new IllegalStateException("broker said no"));

        assertThat(calls).containsExactly(List.of(1), List.of(2));
    }

    @Test
    void severalSlotsRunCallsAtOnce() {
        Batcher<Integer> batcher = batcher(2, 2);

        batcher.addAll(List.of(1, 2, 3, 4, 5));

        assertThat(calls).containsExactly(List.of(1, 2), List.of(3, 4));
        pendingCalls.get(1).complete(null);
        assertThat(calls).containsExactly(List.of(1, 2), List.of(3, 4), List.of(5));
    }

    @Test
    void callsThatFinishAtOnceDrainEverythingOnTheAddingThread() {
        List<List<Integer>> made = new ArrayList<>();
        Batcher<Integer> batcher = new Batcher<>(new Batching(4, 1), batch -> {
            made.add(batch);
            return CompletableFuture.completedFuture(null);
        });

        batcher.addAll(IntStream.range(0, 10).boxed().toList());

        assertThat(made).containsExactly(List.of(0, 1, 2, 3), List.of(4, 5, 6, 7), List.of(8, 9));
    }

    @Test
    void aHandlerThatThrowsDoesNotWedgeTheBatcher() {
        List<List<Integer>> made = new ArrayList<>();
        Batcher<Integer> batcher = new Batcher<>(new Batching(10, 1), batch -> {
            made.add(batch);
            if (batch.contains(1)) {
                throw new IllegalStateException("bug in a handler");
            }
            return CompletableFuture.completedFuture(null);
        });

        batcher.add(1);
        batcher.add(2);

        assertThat(made).containsExactly(List.of(1), List.of(2));
    }

    /**
     * A driver whose confirmations arrive while it sends the next batch (an AMQP channel's confirm listener): the
     * completion of an earlier call must not start a later batch ahead of the one being sent.
     */
    @Test
    void callsStartInTheOrderItemsCameEvenWhenACompletionArrivesDuringACall() {
        List<Integer> sent = new ArrayList<>();
        List<CompletableFuture<Void>> outstanding = new ArrayList<>();
        Batcher<Integer> batcher = new Batcher<>(new Batching(1, 2), batch -> {
            new ArrayList<>(outstanding).forEach(f -> f.complete(null));
            sent.addAll(batch);
            CompletableFuture<Void> confirmed = new CompletableFuture<>();
            outstanding.add(confirmed);
            return confirmed;
        });

        batcher.addAll(List.of(0, 1, 2, 3, 4));

        assertThat(sent).containsExactly(0, 1, 2, 3, 4);
    }
}
