package dev.switchboard.aws.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the acknowledgements of one queue and sends them as batch calls of up to 10 entries
 * (DeleteMessageBatch): a batch goes out as soon as it is full, or {@code linger} after its first entry
 * ({@link BatchWindow}), and up to {@code senders} calls run at once, each on its own thread (started when
 * needed, stopped when idle). Each caller's future completes with its own entry's result; failed entries are
 * logged with the running count of failures and fail their futures, so the caller can report them too.
 * Thread-safe.
 *
 * @param <T> what one entry carries
 */
final class AckBatcher<T> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AckBatcher.class);
    private static final long IDLE_SENDER_SECONDS = 30;

    /** Sends one batch; returns, per entry index, the failure of each entry that failed (none: empty map). */
    interface BatchCall<T> extends Function<List<T>, Map<Integer, Throwable>> {
    }

    private record Pending<T>(T entry, CompletableFuture<Void> done) {
    }

    private final String name;
    private final BatchCall<T> call;
    private final BatchWindow<Pending<T>> window;
    private final ThreadPoolExecutor senders;
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param name the queue, for thread names and logs
     * @param senders how many batch calls may run at once
     * @param timer runs the linger timeouts
     */
    AckBatcher(String name, BatchCall<T> call, int senders, Duration linger, ScheduledExecutorService timer) {
        this.name = name;
        this.call = call;
        AtomicInteger threads = new AtomicInteger();
        this.senders = new ThreadPoolExecutor(senders, senders, IDLE_SENDER_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread thread = new Thread(r, "switchboard-sqs-ack-" + name + "-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.senders.allowCoreThreadTimeOut(true);
        this.window = new BatchWindow<>(this::dispatch, timer, linger);
    }

    CompletableFuture<Void> submit(T entry) {
        Pending<T> pending = new Pending<>(entry, new CompletableFuture<>());
        if (closed) {
            pending.done().completeExceptionally(new IllegalStateException("closed"));
        } else {
            window.add(pending);
        }
        return pending.done();
    }

    /** Entries that failed to be acknowledged so far (failed calls and failed entries of successful calls). */
    long failures() {
        return failures.get();
    }

    private void dispatch(List<Pending<T>> batch) {
        try {
            senders.execute(() -> send(batch));
        } catch (RejectedExecutionException e) {
            failed(batch, e);
        }
    }

    private void send(List<Pending<T>> batch) {
        Map<Integer, Throwable> failed;
        try {
            failed = call.apply(batch.stream().map(Pending::entry).toList());
        } catch (RuntimeException e) {
            failed(batch, e);
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            Throwable failure = failed.get(i);
            if (failure == null) {
                batch.get(i).done().complete(null);
            } else {
                batch.get(i).done().completeExceptionally(failure);
            }
        }
        if (!failed.isEmpty()) {
            long total = failures.addAndGet(failed.size());
            log.warn("{}: {} of {} acknowledgements failed ({} so far), those messages will be redelivered: {}", name,
                    failed.size(), batch.size(), total, failed.values().iterator().next().toString());
        }
    }

    private void failed(List<Pending<T>> batch, Throwable error) {
        long total = failures.addAndGet(batch.size());
        log.warn("{}: a batch of {} acknowledgements failed ({} so far), those messages will be redelivered: {}", name,
                batch.size(), total, error.toString());
        batch.forEach(p -> p.done().completeExceptionally(error));
    }

    /** Sends what is waiting, waits up to 10 s for the calls under way, then stops. */
    @Override
    public void close() {
        closed = true;
        window.flush();
        senders.shutdown();
        try {
            if (!senders.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("{}: acknowledgements still unsent after 10 s at close; those messages will be redelivered", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
