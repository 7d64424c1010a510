package dev.switchboard.internal;

import dev.switchboard.spi.Batching;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Groups items into calls of a driver under its {@link Batching} limits, the one batcher of the runtime (publish
 * and acknowledgements): an item that arrives while fewer than {@code maxConcurrentBatches} calls are out goes at
 * once, with whatever else waits; items that arrive while every slot is busy wait and leave together when a call
 * finishes. Batches so grow with load and a lone item is never delayed; with one slot, calls keep the order of
 * {@link #add}. The handler runs on the thread that added the item or on the thread that completed the previous
 * call; it must not block. Thread-safe.
 *
 * @param <T> the item, carrying whatever result the caller completes from the handler
 */
public final class Batcher<T> {
    private final Batching limits;
    private final Function<List<T>, CompletableFuture<?>> handler;
    private final ArrayDeque<T> pending = new ArrayDeque<>();
    private int running;

    /**
     * @param handler makes one call with a batch and returns what completes when the call is over (either way);
     *     it completes the items' own results and must not throw
     */
    public Batcher(Batching limits, Function<List<T>, CompletableFuture<?>> handler) {
        this.limits = limits;
        this.handler = handler;
    }

    /** Hands {@code item} over; it goes out now if a call slot is free, else with the next call. */
    public void add(T item) {
        List<T> batch;
        synchronized (this) {
            pending.add(item);
            batch = takeBatch();
        }
        drive(batch);
    }

    /** Hands {@code items} over, in order. */
    public void addAll(List<T> items) {
        List<T> batch;
        synchronized (this) {
            pending.addAll(items);
            batch = takeBatch();
        }
        while (batch != null) {
            drive(batch);
            synchronized (this) {
                batch = takeBatch();
            }
        }
    }

    /** Runs calls until none can start: a call that finished at once lets the next one go on this thread. */
    private void drive(List<T> batch) {
        while (batch != null) {
            CompletableFuture<?> done = call(batch);
            if (!done.isDone()) {
                done.whenComplete((ignored, error) -> drive(finishedTakeNext()));
                return;
            }
            batch = finishedTakeNext();
        }
    }

    private CompletableFuture<?> call(List<T> batch) {
        try {
            CompletableFuture<?> done = handler.apply(batch);
            return done != null ? done : CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private synchronized List<T> finishedTakeNext() {
        running--;
        return takeBatch();
    }

    /** The next batch if a slot is free (taking the slot), else null. Called holding the lock. */
    private List<T> takeBatch() {
        if (pending.isEmpty() || running >= limits.maxConcurrentBatches()) {
            return null;
        }
        running++;
        int size = Math.min(pending.size(), limits.maxBatchSize());
        List<T> batch = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            batch.add(pending.poll());
        }
        return batch;
    }
}
