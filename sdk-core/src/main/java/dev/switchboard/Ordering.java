package dev.switchboard;

/**
 * The ordering a subscription asks of its deliveries.
 *
 * @since 0.1
 */
public enum Ordering {
    /** No ordering: deliveries run as concurrently as the subscription allows. */
    NONE,
    /**
     * Events with the same {@linkplain EventEnvelope#partitionKey() partition key} are handled one at a time, in
     * publish order, while different keys run concurrently. Retries of a keyed event hold back the later
     * events of its key. Events without a key are not ordered. A broker that cannot keep this order makes
     * the subscription fail at startup with {@link ErrorCode#FAILED_PRECONDITION}.
     */
    PER_KEY
}
