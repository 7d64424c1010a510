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
 * finishes. Batches so grow with load and a lone item is never delayed. Calls start in the order of {@link #add},
 * whatever the number of slots: one thread at a time starts them (the one that added an item or completed a call
 * while no other was starting), so a driver that sends in call order (Kafka's producer, an AMQP channel) keeps
 * the order of the items. The handler must not block. Thread-safe.
 *
 * @param <T> the item, carrying whatever result the caller completes from the handler
 */
public final class Batcher<T> {
    private final Batching limits;
    private final Function<List<T>, CompletableFuture<?>> handler;
    private final ArrayDeque<T> pending = new ArrayDeque<>();
    private int running;
    /** Whether a thread is starting calls; only one does at a time, so calls start in the order items came. */
    private volatile boolean dispatching;
    /** No bound on outstanding calls: items wait only while a dispatcher drains them (see {@link #add}). */
    private final boolean unbounded;

    /**
     * @param handler makes one call with a batch and returns what completes when the call is over (either way);
     *     it completes the items' own results and must not throw
     */
    public Batcher(Batching limits, Function<List<T>, CompletableFuture<?>> handler) {
        this.limits = limits;
        this.handler = handler;
        this.unbounded = limits.maxConcurrentBatches() == Integer.MAX_VALUE;
    }

    /** Hands {@code item} over; it goes out now if a call slot is free, else with the next call. */
    public void add(T item) {
        if (unbounded && !dispatching) {
            // with every slot free nothing waits unless a dispatcher runs: the call goes now, without the lock
            call(List.of(item));
            return;
        }
        synchronized (this) {
            pending.add(item);
            if (dispatching) {
                return;
            }
            dispatching = true;
        }
        dispatch();
    }

    /** Hands {@code items} over, in order. */
    public void addAll(List<T> items) {
        synchronized (this) {
            pending.addAll(items);
            if (dispatching) {
                return;
            }
            dispatching = true;
        }
        dispatch();
    }

    /**
     * Starts calls while a slot is free and items wait, on this thread alone (the caller set
     * {@link #dispatching}): a call whose future completes at once frees its slot for the next batch here. Another
     * thread that adds items or finishes a call meanwhile leaves the starting to this one.
     */
    private void dispatch() {
        boolean previousDone = false;
        while (true) {
            List<T> batch;
            synchronized (this) {
                if (previousDone) {
                    running--;
                }
                batch = takeBatch();
                if (batch == null) {
                    dispatching = false;
                    return;
                }
            }
            CompletableFuture<?> done = call(batch);
            // most acks and in-memory sends are done when they return: free the slot without a callback
            previousDone = done.isDone();
            if (!previousDone) {
                done.whenComplete((ignored, error) -> finished());
            }
        }
    }

    private void finished() {
        synchronized (this) {
            running--;
            if (dispatching || pending.isEmpty()) {
                return;
            }
            dispatching = true;
        }
        dispatch();
    }

    private CompletableFuture<?> call(List<T> batch) {
        try {
            CompletableFuture<?> done = handler.apply(batch);
            return done != null ? done : CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
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
