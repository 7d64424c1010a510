package dev.switchboard.benchmarks;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One way to reach one broker: its raw client or Switchboard. The harness drives both through the same code,
 * so that publish, consume and latency are measured the same way for both.
 */
abstract class Side implements AutoCloseable {
    /**
     * The name of a raw side that writes the CloudEvents attributes Switchboard writes (Kafka {@code ce_} headers,
     * SNS message attributes), by hand: Switchboard's wire format without Switchboard.
     */
    static final String RAW_WITH_CE_HEADERS = "raw+ce-headers";
    /** The raw client with the CloudEvents headers and a W3C {@code traceparent} per event (Kafka only). */
    static final String RAW_WITH_TRACEPARENT = "raw+ce-headers+traceparent";
    /** Sequence numbers at or above this are warm-up events, not measured. */
    static final long WARMUP_SEQ = 9_000_000_000L;

    /** Receives one event in a handler: its sequence number and the time it was published. */
    interface Sink {
        void onEvent(long seq, long publishedAt);
    }

    /** A running consumer. */
    interface Running {
        void stop() throws Exception;
    }

    final AtomicLong errors = new AtomicLong();

    abstract String name();

    /** How many publishes may wait for their confirmation at once (the same for raw and Switchboard). */
    abstract int maxOutstanding();

    /** Publishes one event asynchronously; {@code done} runs once the broker confirmed it (or it failed). */
    abstract void send(long seq, Runnable done) throws Exception;

    /** Starts consuming the side's destination; every event goes to {@code sink}, then is acknowledged. */
    abstract Running consume(Sink sink) throws Exception;

    /** Publishes {@code n} events; events/s from the first send to the last confirmation. */
    double publish(int n) throws Exception {
        Semaphore permits = new Semaphore(maxOutstanding());
        CountDownLatch done = new CountDownLatch(n);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            permits.acquire();
            send(i, () -> {
                permits.release();
                done.countDown();
            });
        }
        await(done, "publish confirmations");
        return n / seconds(System.nanoTime() - start);
    }

    /** Consumes {@code n} events published before; events/s from the first delivery to the n-th. */
    double consume(int n, Duration timeout) throws Exception {
        AtomicLong count = new AtomicLong();
        AtomicLong first = new AtomicLong();
        AtomicLong last = new AtomicLong();
        CountDownLatch all = new CountDownLatch(1);
        Running running = consume((seq, at) -> {
            long c = count.incrementAndGet();
            if (c == 1) {
                first.set(System.nanoTime());
            }
            if (c == n) {
                last.set(System.nanoTime());
                all.countDown();
            }
        });
        try {
            if (!all.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name() + ": consumed " + count.get() + " of " + n + " within " + timeout);
            }
        } finally {
            running.stop();
        }
        while (first.get() == 0) {
            Thread.onSpinWait();
        }
        return (n - 1) / seconds(last.get() - first.get());
    }

    /**
     * End-to-end latency at a steady rate: the consumer runs, {@code warmup} events make sure it is assigned and
     * warm, then {@code n} events are published at {@code ratePerSecond}. Returns each event's latency in ns.
     */
    long[] latency(int warmup, int n, int ratePerSecond, Duration timeout) throws Exception {
        long[] latencies = new long[n];
        AtomicLong measured = new AtomicLong();
        AtomicLong warmed = new AtomicLong();
        Running running = consume((seq, at) -> {
            long now = EventBytes.now();
            if (seq >= WARMUP_SEQ) {
                warmed.incrementAndGet();
            } else if (seq < n && latencies[(int) seq] == 0) {
                latencies[(int) seq] = Math.max(1, now - at);
                measured.incrementAndGet();
            }
        });
        try {
            Semaphore permits = new Semaphore(maxOutstanding());
            long deadline = System.nanoTime() + timeout.toNanos();
            for (int i = 0; i < warmup; i++) {
                permits.acquire();
                send(WARMUP_SEQ + i, permits::release);
                LockSupport.parkNanos(1_000_000);
            }
            while (warmed.get() < warmup) {
                check(deadline, "warm-up events", warmed.get(), warmup);
                Thread.sleep(5);
            }
            long interval = 1_000_000_000L / ratePerSecond;
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long due = start + i * interval;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    if (wait > 200_000) {
                        LockSupport.parkNanos(wait - 100_000);
                    } else {
                        Thread.onSpinWait();
                    }
                }
                permits.acquire();
                send(i, permits::release);
            }
            while (measured.get() < n) {
                check(deadline, "latency events", measured.get(), n);
                Thread.sleep(2);
            }
        } finally {
            running.stop();
        }
        return latencies;
    }

    private void check(long deadline, String what, long have, long want) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException(name() + ": received " + have + " of " + want + " " + what + " in time");
        }
    }

    static void await(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("timed out waiting for " + what);
        }
    }

    static double seconds(long nanos) {
        return Math.max(1, nanos) / 1e9;
    }

    @Override
    public abstract void close() throws Exception;
}
