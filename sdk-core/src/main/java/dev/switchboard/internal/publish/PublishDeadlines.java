package dev.switchboard.internal.publish;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;

/**
 * The publish deadline ({@code switchboard.publish.timeout}) for every publish, without a timer task per
 * publish: publishes are queued in the order they started, all with the same timeout, so one periodic sweep
 * from the head finds every overdue one. Overdue publishes fail with {@code DEADLINE_EXCEEDED}. Thread-safe.
 */
public final class PublishDeadlines {
    private static final long MAX_SWEEP_MILLIS = 100;

    private record Pending(long deadlineNanos, CompletableFuture<?> future) {
    }

    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final long timeoutNanos;
    private final Duration timeout;

    public PublishDeadlines(Duration timeout, ScheduledExecutorService scheduler) {
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
        long sweep = Math.max(1, Math.min(MAX_SWEEP_MILLIS, timeout.toMillis() / 10));
        scheduler.scheduleWithFixedDelay(this::sweep, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    /** The deadline of a publish that starts now, in {@link System#nanoTime()}. */
    public long deadlineFromNow() {
        return System.nanoTime() + timeoutNanos;
    }

    /**
     * Fails {@code future} with {@code DEADLINE_EXCEEDED} unless it completes by {@code deadline}. A publish that is
     * already confirmed (an in-memory broker's, mostly) costs nothing here.
     */
    public void track(CompletableFuture<?> future, long deadline) {
        if (!future.isDone()) {
            pending.add(new Pending(deadline, future));
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        Pending head;
        while ((head = pending.peek()) != null && (head.future().isDone() || now - head.deadlineNanos() >= 0)) {
            pending.poll();
            if (!head.future().isDone()) {
                head.future().completeExceptionally(new MessagingException(ErrorCode.DEADLINE_EXCEEDED,
                        "no broker confirmation within " + timeout + " (switchboard.publish.timeout)"));
            }
        }
    }
}
