package dev.switchboard.jdbc.internal;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * How an idle relay waits for new rows: {@link #await} returns when rows may have been committed, or at the latest
 * after its interval; {@link #wakeUp()} ends a poll at once (to close; a LISTEN wait ends within its safety poll).
 * Used by one relay thread, woken from any.
 */
public interface RelayWakeup extends AutoCloseable {
    /** Waits until new rows may be there: a notification, {@link #wakeUp()}, or the poll interval. */
    void await() throws InterruptedException;

    /** Ends the current or next {@link #await()} at once. */
    void wakeUp();

    @Override
    void close();

    /**
     * LISTEN/NOTIFY with {@code safetyPoll} as the longest wait on PostgreSQL; a fixed {@code idlePoll} elsewhere.
     * The PostgreSQL driver's classes are loaded only in the first case.
     */
    static RelayWakeup of(Dialect dialect, DataSource dataSource, Duration idlePoll, Duration safetyPoll) {
        return dialect == Dialect.POSTGRESQL ? new PostgresNotifications(dataSource, safetyPoll)
                : new Polling(idlePoll);
    }

    /** A fixed interval, cut short by {@link #wakeUp()}. */
    final class Polling implements RelayWakeup {
        private final long intervalNanos;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition woken = lock.newCondition();
        private boolean pending;

        Polling(Duration interval) {
            this.intervalNanos = interval.toNanos();
        }

        @Override
        public void await() throws InterruptedException {
            lock.lock();
            try {
                long left = intervalNanos;
                while (!pending && left > 0) {
                    left = woken.awaitNanos(left);
                }
                pending = false;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void wakeUp() {
            lock.lock();
            try {
                pending = true;
                woken.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            wakeUp();
        }
    }
}
