package dev.switchboard.internal.receive;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The bound on a subscription's deliveries in flight: a poller takes free slots in batches, handler
 * threads give them back one by one. Unlike a {@link java.util.concurrent.Semaphore}, giving a slot back wakes
 * the waiting poller only once as many slots are free as it waits for, not on every release, so a busy
 * subscription does not pay a thread wake-up per event.
 *
 * <p>{@link #release} is thread-safe; {@link #take} may be called by one thread at a time (the poller, or
 * whichever of several pollers holds their shared lock).
 */
final class InFlightWindow {
    private final AtomicInteger free;
    private volatile Thread waiter;
    private volatile int wanted = Integer.MAX_VALUE;

    InFlightWindow(int capacity) {
        this.free = new AtomicInteger(capacity);
    }

    /**
     * Takes every free slot, up to {@code atMost}, once at least {@code atLeast} are free, waiting up to
     * {@code timeout}.
     *
     * @return the slots taken, 0 if fewer than {@code atLeast} became free in time
     * @throws InterruptedException if interrupted while waiting; nothing is taken then
     */
    int take(int atLeast, int atMost, long timeout, TimeUnit unit) throws InterruptedException {
        int taken = tryTake(atLeast, atMost);
        if (taken > 0 || timeout <= 0) {
            return taken;
        }
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        waiter = Thread.currentThread();
        try {
            while (true) {
                wanted = atLeast;
                taken = tryTake(atLeast, atMost);
                if (taken > 0) {
                    return taken;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return 0;
                }
                LockSupport.parkNanos(this, remaining);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        } finally {
            wanted = Integer.MAX_VALUE;
            waiter = null;
        }
    }

    /** Gives back {@code slots}, waking the poller if it waits for no more than are now free. */
    void release(int slots) {
        if (slots <= 0) {
            return;
        }
        int nowFree = free.addAndGet(slots);
        Thread waiting = waiter;
        if (waiting != null && nowFree >= wanted) {
            LockSupport.unpark(waiting);
        }
    }

    private int tryTake(int atLeast, int atMost) {
        while (true) {
            int available = free.get();
            if (available < Math.max(1, atLeast)) {
                return 0;
            }
            int taken = Math.min(available, atMost);
            if (free.compareAndSet(available, available - taken)) {
                return taken;
            }
        }
    }
}
