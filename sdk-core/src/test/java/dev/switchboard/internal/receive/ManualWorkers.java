package dev.switchboard.internal.receive;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.RejectedExecutionException;

/**
 * Handler threads run by hand: tasks wait in a queue until the test runs them on its own thread, which counts
 * as a worker meanwhile. Thread-safe.
 */
final class ManualWorkers implements Workers {
    private final Deque<Runnable> queue = new ArrayDeque<>();
    private volatile Thread running;
    private boolean shutDown;

    @Override
    public synchronized void execute(Runnable task) {
        if (shutDown) {
            throw new RejectedExecutionException("workers shut down");
        }
        queue.add(task);
        notifyAll();
    }

    @Override
    public boolean isWorkerThread() {
        return Thread.currentThread() == running;
    }

    @Override
    public synchronized void shutdownNow() {
        shutDown = true;
        queue.clear();
    }

    synchronized int queued() {
        return queue.size();
    }

    /** Runs the oldest queued task; false if none. */
    boolean runNext() {
        Runnable task;
        synchronized (this) {
            task = queue.poll();
        }
        if (task == null) {
            return false;
        }
        running = Thread.currentThread();
        try {
            task.run();
        } finally {
            running = null;
        }
        return true;
    }

    /** Runs queued tasks, those they queue included, until none is left; returns how many ran. */
    int runAll() {
        int ran = 0;
        while (runNext()) {
            ran++;
        }
        return ran;
    }
}
