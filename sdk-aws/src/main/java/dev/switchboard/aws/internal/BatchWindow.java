package dev.switchboard.aws.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Groups items into batches of up to {@link #MAX_BATCH} (the SNS and SQS batch limit): a batch is handed to the
 * sink as soon as it is full, on the thread that filled it, or {@code linger} after its first item, on the
 * timer's thread. Batches are handed over one at a time, in the order they were started (a FIFO topic's
 * publish order depends on it), so the sink must be quick and must not block. Thread-safe.
 *
 * @param <T> the items
 */
final class BatchWindow<T> {
    static final int MAX_BATCH = 10;

    private final Consumer<List<T>> sink;
    private final ScheduledExecutorService timer;
    private final long lingerNanos;
    /** The batch being filled; guarded by {@code this}. */
    private List<T> open = new ArrayList<>(MAX_BATCH);

    BatchWindow(Consumer<List<T>> sink, ScheduledExecutorService timer, Duration linger) {
        this.sink = sink;
        this.timer = timer;
        this.lingerNanos = linger.toNanos();
    }

    /** Adds an item; if the timer no longer runs (shutting down), a new batch is handed over at once. */
    void add(T item) {
        List<T> batch;
        synchronized (this) {
            batch = open;
            batch.add(item);
            if (batch.size() == MAX_BATCH) {
                handOver();
                return;
            }
            if (batch.size() > 1) {
                return;
            }
        }
        try {
            timer.schedule(() -> flush(batch), lingerNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            flush(batch);
        }
    }

    /** Hands over what waits now, if anything. */
    synchronized void flush() {
        if (!open.isEmpty()) {
            handOver();
        }
    }

    /** Hands over {@code batch} if it is still the one being filled (it may have filled up and gone). */
    private synchronized void flush(List<T> batch) {
        if (open == batch && !batch.isEmpty()) {
            handOver();
        }
    }

    private void handOver() {
        List<T> batch = open;
        open = new ArrayList<>(MAX_BATCH);
        sink.accept(batch);
    }
}
