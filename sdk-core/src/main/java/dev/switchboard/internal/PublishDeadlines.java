package dev.switchboard.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The publish deadline ({@code switchboard.publish.timeout}) for every publish, without a timer task per
 * publish: publishes are queued in the order they started, all with the same timeout, so one periodic sweep
 * from the head finds every overdue one. Overdue publishes fail with a {@link TimeoutException}, which the
 * runtime classifies as {@code DEADLINE_EXCEEDED}. Thread-safe.
 */
final class PublishDeadlines {
    private static final long MAX_SWEEP_MILLIS = 100;

    private record Pending(long deadlineNanos, CompletableFuture<?> future) {
    }

    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final long timeoutNanos;

    PublishDeadlines(Duration timeout, ScheduledExecutorService scheduler) {
        this.timeoutNanos = timeout.toNanos();
        long sweep = Math.max(1, Math.min(MAX_SWEEP_MILLIS, timeout.toMillis() / 10));
        scheduler.scheduleWithFixedDelay(this::sweep, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    /** Fails {@code future} with a timeout unless it completes within the publish timeout. */
    void track(CompletableFuture<?> future) {
        if (!future.isDone()) {
            pending.add(new Pending(System.nanoTime() + timeoutNanos, future));
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        Pending head;
        while ((head = pending.peek()) != null && (head.future().isDone() || now - head.deadlineNanos() >= 0)) {
            pending.poll();
            if (!head.future().isDone()) {
                head.future().completeExceptionally(new TimeoutException("publish timeout"));
            }
        }
    }
}
