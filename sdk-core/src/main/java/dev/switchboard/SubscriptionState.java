package dev.switchboard;

/**
 * Where a subscription is in its life, as {@link Messaging#health()} reports it.
 *
 * @since 0.2
 */
public enum SubscriptionState {
    /** Subscribed; no receive from the broker has completed yet. */
    STARTING,
    /** Receiving: the last receive succeeded and the receiver is connected. */
    RUNNING,
    /** The last receive failed or the receiver lost its connection; it retries with backoff and recovers by itself. */
    RECOVERING,
    /** Receiving has stopped for a drain: the subscription is closing. */
    PAUSED,
    /** Drained and closed. */
    CLOSED,
    /** A poller died of an unexpected error; the subscription receives no more. Restart the service. */
    FAILED
}
