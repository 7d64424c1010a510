package dev.switchboard.internal.receive;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A receiver's lag, asked of the broker at most once per {@link #FRESH_FOR}: a health probe and a metrics scrape
 * at the same moment cost one round trip. A failed ask answers empty. Thread-safe; concurrent callers of a stale
 * value may both ask.
 */
final class LagCache {
    static final Duration FRESH_FOR = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(LagCache.class);

    private final Supplier<OptionalLong> source;
    private volatile OptionalLong value = OptionalLong.empty();
    private volatile long askedAtNanos;
    private volatile boolean asked;

    LagCache(Supplier<OptionalLong> source) {
        this.source = source;
    }

    OptionalLong get() {
        long now = System.nanoTime();
        if (asked && now - askedAtNanos < FRESH_FOR.toNanos()) {
            return value;
        }
        OptionalLong fresh;
        try {
            fresh = source.get();
        } catch (RuntimeException e) {
            log.debug("reading the lag failed: {}", e.toString());
            fresh = OptionalLong.empty();
        }
        value = fresh;
        askedAtNanos = now;
        asked = true;
        return fresh;
    }
}
