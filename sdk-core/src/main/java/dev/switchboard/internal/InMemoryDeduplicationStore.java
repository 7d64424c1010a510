package dev.switchboard.internal;

import dev.switchboard.DeduplicationStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default {@link DeduplicationStore}: claims kept in this process's memory until their TTL passes.
 * Expired claims are swept lazily, at most once a second, so memory stays bounded by the ids of one TTL.
 */
public final class InMemoryDeduplicationStore implements DeduplicationStore {
    private static final long SWEEP_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

    private final Map<String, Long> expiryByKey = new ConcurrentHashMap<>();
    private volatile long nextSweep = System.nanoTime() + SWEEP_INTERVAL_NANOS;

    @Override
    public boolean tryClaim(String group, String eventId, Duration ttl) {
        long now = System.nanoTime();
        sweepIfDue(now);
        long expiry = now + ttl.toNanos();
        boolean[] claimed = {false};
        expiryByKey.compute(key(group, eventId), (k, existing) -> {
            if (existing == null || existing - now <= 0) {
                claimed[0] = true;
                return expiry;
            }
            return existing;
        });
        return claimed[0];
    }

    @Override
    public void release(String group, String eventId) {
        expiryByKey.remove(key(group, eventId));
    }

    private void sweepIfDue(long now) {
        if (now - nextSweep < 0) {
            return;
        }
        nextSweep = now + SWEEP_INTERVAL_NANOS;
        expiryByKey.values().removeIf(expiry -> expiry - now <= 0);
    }

    private static String key(String group, String eventId) {
        return group + '\u0000' + eventId;
    }
}
