package dev.switchboard.internal.receive;

import dev.switchboard.internal.UtcClock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Time as the receive runtime sees it: the current time, delayed tasks (local retries), and the receive
 * loop's pause after a failed receive. An interface so that tests run time by hand; {@link #of} is the real
 * one. Implementations are thread-safe.
 */
interface Scheduler {
    /** The current time in UTC, for failure times. */
    OffsetDateTime now();

    /**
     * Runs {@code task} once after {@code delay}, on a thread that must not block: the task hands work on.
     *
     * @return what cancels the task if it has not started
     * @throws java.util.concurrent.RejectedExecutionException once the scheduler is shut down
     */
    Future<?> schedule(Runnable task, Duration delay);

    /** Blocks the calling thread for {@code duration}. */
    void pause(Duration duration) throws InterruptedException;

    /** The real time: tasks on {@code executor} (the shared scheduler thread), pauses on the caller's thread. */
    static Scheduler of(ScheduledExecutorService executor) {
        return new Scheduler() {
            @Override
            public OffsetDateTime now() {
                return UtcClock.now();
            }

            @Override
            public Future<?> schedule(Runnable task, Duration delay) {
                return executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            }

            @Override
            public void pause(Duration duration) throws InterruptedException {
                Thread.sleep(duration.toMillis());
            }
        };
    }
}
