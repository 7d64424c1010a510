package dev.switchboard.aws.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects acknowledgements and sends them as batch calls of up to 10 entries (DeleteMessageBatch,
 * ChangeMessageVisibilityBatch), at most {@code linger} after the first one waited. Each caller's future
 * completes with its own entry's result. One thread; stops when closed, after sending what it holds.
 *
 * @param <T> what one entry carries
 */
final class AckBatcher<T> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AckBatcher.class);
    static final int MAX_BATCH = 10;

    /** Sends one batch; returns, per entry id ("0".."9"), null for success or the failure. */
    interface BatchCall<T> extends Function<List<T>, Map<Integer, Throwable>> {
    }

    private record Pending<T>(T entry, CompletableFuture<Void> done) {
    }

    private final LinkedBlockingQueue<Pending<T>> queue = new LinkedBlockingQueue<>();
    private final BatchCall<T> call;
    private final long lingerNanos;
    private final Thread thread;
    private volatile boolean closed;

    AckBatcher(String name, BatchCall<T> call, long lingerMillis) {
        this.call = call;
        this.lingerNanos = TimeUnit.MILLISECONDS.toNanos(lingerMillis);
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    CompletableFuture<Void> submit(T entry) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closed) {
            done.completeExceptionally(new IllegalStateException("closed"));
        } else {
            queue.add(new Pending<>(entry, done));
        }
        return done;
    }

    private void run() {
        while (!closed || !queue.isEmpty()) {
            List<Pending<T>> batch = new ArrayList<>(MAX_BATCH);
            try {
                Pending<T> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + lingerNanos;
                while (batch.size() < MAX_BATCH) {
                    Pending<T> next = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
            } catch (InterruptedException e) {
                closed = true;
            }
            if (!batch.isEmpty()) {
                send(batch);
            }
        }
    }

    private void send(List<Pending<T>> batch) {
        Map<Integer, Throwable> failures;
        try {
            failures = call.apply(batch.stream().map(Pending::entry).toList());
        } catch (RuntimeException e) {
            log.debug("batch call failed: {}", e.toString());
            batch.forEach(p -> p.done().completeExceptionally(e));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            Throwable failure = failures.get(i);
            if (failure == null) {
                batch.get(i).done().complete(null);
            } else {
                batch.get(i).done().completeExceptionally(failure);
            }
        }
    }

    /** Sends what is queued, then stops. */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
