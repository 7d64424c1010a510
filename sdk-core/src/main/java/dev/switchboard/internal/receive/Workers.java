package dev.switchboard.internal.receive;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * The threads that run a subscription's handlers: an executor that knows its own threads, so that a drain
 * started from a handler does not wait for itself. An interface so that tests run handlers by hand;
 * {@link #pool} is the real one. Implementations are thread-safe.
 */
interface Workers extends Executor {
    /**
     * Runs {@code task} on a worker.
     *
     * @throws java.util.concurrent.RejectedExecutionException once shut down
     */
    @Override
    void execute(Runnable task);

    /** Whether the calling thread is one of these workers. */
    boolean isWorkerThread();

    /** Interrupts running tasks and drops queued ones; later {@link #execute} calls are rejected. */
    void shutdownNow();

    /** A fixed pool of {@code threads} threads made by {@code factory}. */
    static Workers pool(int threads, ThreadFactory factory) {
        Set<Thread> own = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = factory.newThread(runnable);
            own.add(thread);
            return thread;
        });
        return new Workers() {
            @Override
            public void execute(Runnable task) {
                pool.execute(task);
            }

            @Override
            public boolean isWorkerThread() {
                return own.contains(Thread.currentThread());
            }

            @Override
            public void shutdownNow() {
                pool.shutdownNow();
            }
        };
    }
}
