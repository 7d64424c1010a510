package dev.switchboard;

import java.time.Duration;

/**
 * Remembers which event ids a group has taken, for the idempotent-consumer filter
 * ({@link Subscription.Builder#deduplicate(Duration)}). The default keeps ids in memory, per process; plug
 * in a shared store (a database table, Redis) to deduplicate across instances. Must be thread-safe.
 *
 * <p>A store may fail (a database that is down): a {@link #tryClaim} that throws makes the attempt fail before the
 * handler runs, and the subscription's retry policy applies; a {@link #release} that throws keeps the delivery, and its
 * claim, in the process for a local retry, because given back to the broker its redelivery would find the claim and be
 * taken for a duplicate.
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
