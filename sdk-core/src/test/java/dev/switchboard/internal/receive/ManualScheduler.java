package dev.switchboard.internal.receive;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Time that moves only when the test says: {@link #advance} runs the tasks that come due, on the test's thread,
 * in due order. Pauses return at once and are recorded. Thread-safe.
 */
final class ManualScheduler implements Scheduler {
    static final OffsetDateTime START = OffsetDateTime.parse("2030-01-01T00:00:00Z");

    private final List<Task> tasks = new ArrayList<>();
    private final List<Duration> pauses = new CopyOnWriteArrayList<>();
    private long elapsedNanos;
    private boolean shutDown;

    @Override
    public synchronized OffsetDateTime now() {
        return START.plusNanos(elapsedNanos);
    }

    @Override
    public synchronized Future<?> schedule(Runnable task, Duration delay) {
        if (shutDown) {
            throw new RejectedExecutionException("scheduler shut down");
        }
        Task scheduled = new Task(elapsedNanos + delay.toNanos(), delay, task);
        tasks.add(scheduled);
        return scheduled;
    }

    @Override
    public void pause(Duration duration) {
        pauses.add(duration);
    }

    /** Moves time on by {@code duration}, running every task that comes due meanwhile. */
    void advance(Duration duration) {
        long target;
        synchronized (this) {
            target = elapsedNanos + duration.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(t -> t.due <= target).min(Comparator.comparingLong(t -> t.due)).orElse(null);
                if (next == null) {
                    elapsedNanos = target;
                    return;
                }
                tasks.remove(next);
                elapsedNanos = next.due;
                if (!next.start()) {
                    continue;
                }
            }
            next.task.run();
        }
    }

    /** The delays of the tasks waiting to run, in the order they were scheduled. */
    synchronized List<Duration> waiting() {
        return tasks.stream().filter(t -> !t.isCancelled()).map(t -> t.delay).toList();
    }

    /** The pauses the receive loop asked for, in order. */
    List<Duration> pauses() {
        return pauses;
    }

    /** Later {@link #schedule} calls are rejected. */
    synchronized void shutDown() {
        shutDown = true;
    }

    private static final class Task implements Future<Object> {
        final long due;
        final Duration delay;
        final Runnable task;
        private boolean started;
        private boolean cancelled;

        Task(long due, Duration delay, Runnable task) {
            this.due = due;
            this.delay = delay;
            this.task = task;
        }

        synchronized boolean start() {
            if (cancelled) {
                return false;
            }
            started = true;
            return true;
        }

        @Override
        public synchronized boolean cancel(boolean mayInterruptIfRunning) {
            if (started || cancelled) {
                return false;
            }
            cancelled = true;
            return true;
        }

        @Override
        public synchronized boolean isCancelled() {
            return cancelled;
        }

        @Override
        public synchronized boolean isDone() {
            return started || cancelled;
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }
    }
}
