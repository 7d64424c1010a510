package dev.switchboard;

import java.time.Duration;

/**
 * Remembers which event ids a group has taken, for the idempotent-consumer filter
 * ({@link Subscription.Builder#deduplicate(Duration)}). The default keeps ids in memory, per process; plug
 * in a shared store (a database table, Redis) to deduplicate across instances. Must be thread-safe.
 *
 * @since 0.1
 */
public interface DeduplicationStore {
    /**
     * Claims {@code eventId} for {@code group}: true the first time within {@code ttl}, false for a duplicate.
     */
    boolean tryClaim(String group, String eventId, Duration ttl);

    /** Releases a claim after a failed attempt, so that the redelivery is handled. */
    void release(String group, String eventId);
}
