package dev.switchboard.instrumentation;

import dev.switchboard.SubscriberStats;
import dev.switchboard.SubscriptionHealth;

/**
 * A live view of one running subscription, for gauges: cheap to read, safe from any thread.
 *
 * @since 0.2
 */
public interface SubscriptionView {
    /** The provider's name, such as {@code kafka}: the messaging system. */
    String system();

    String topic();

    String group();

    /** Deliveries received and not yet settled, now. */
    int inFlight();

    /** The counters since the subscription started. */
    SubscriberStats stats();

    /**
     * The subscription's health: its state, and its lag where the broker tells it. Never waits for the broker: the
     * lag is read in the background, at most once a second.
     */
    SubscriptionHealth health();
}
