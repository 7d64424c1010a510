package dev.switchboard.internal.receive;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A receiver's lag, read from the broker in the background so that no caller waits for it: a health probe or a
 * metrics scrape gets the last value read (empty before the first read completes, and when a read fails), and a
 * value older than {@link #FRESH_FOR} starts one new read — never two at once, whoever asks. A read may take up to
 * the connect timeout while the broker is down; the probe does not. Thread-safe.
 */
final class LagCache {
    static final Duration FRESH_FOR = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(LagCache.class);

    private final Supplier<OptionalLong> source;
    private final Executor reads;
    private final AtomicBoolean reading = new AtomicBoolean();
    private volatile OptionalLong value = OptionalLong.empty();
    private volatile long readAtNanos;
    private volatile boolean readOnce;

    /** @param reads where a read runs: it may block on the broker */
    LagCache(Supplier<OptionalLong> source, Executor reads) {
        this.source = source;
        this.reads = reads;
    }

    /** The last value read; starts a new read if it is stale and none is running. */
    OptionalLong get() {
        if ((!readOnce || System.nanoTime() - readAtNanos >= FRESH_FOR.toNanos()) && reading.compareAndSet(false, true)) {
            try {
                reads.execute(this::read);
            } catch (RejectedExecutionException closing) {
                reading.set(false);
            }
        }
        return value;
    }

    private void read() {
        try {
            value = source.get();
        } catch (RuntimeException e) {
            log.debug("reading the lag failed: {}", e.toString());
            value = OptionalLong.empty();
        } finally {
            readAtNanos = System.nanoTime(); // after the read: a slow read is not stale at once
            readOnce = true;
            reading.set(false);
        }
    }
}
