package dev.switchboard.internal.receive;

import dev.switchboard.Connectivity;
import dev.switchboard.SubscriptionState;
import java.time.Duration;
import java.util.Optional;

/**
 * What the pollers learn about the broker, for health: when a receive last succeeded, whether the last one
 * failed and why, whether a poller died. Written by the pollers, read from any thread; one volatile write per
 * receive.
 */
final class ReceiveHealth {
    private volatile long lastSuccessNanos;
    private volatile boolean receivedOnce;
    private volatile String failure;
    private volatile String fatal;

    void succeeded() {
        lastSuccessNanos = System.nanoTime();
        if (!receivedOnce) {
            receivedOnce = true;
        }
        if (failure != null) {
            failure = null;
        }
    }

    void failed(String cause) {
        failure = cause;
    }

    /** A poller ended on an unexpected error: the subscription receives no more. */
    void died(Throwable error) {
        fatal = error.toString();
    }

    Optional<Duration> sinceLastSuccess() {
        return receivedOnce ? Optional.of(Duration.ofNanos(System.nanoTime() - lastSuccessNanos)) : Optional.empty();
    }

    /** The state, given whether the drain has begun or ended and what the receiver knows of its connection. */
    SubscriptionState state(boolean draining, boolean closed, Connectivity connectivity) {
        if (closed) {
            return SubscriptionState.CLOSED;
        }
        if (fatal != null) {
            return SubscriptionState.FAILED;
        }
        if (draining) {
            return SubscriptionState.PAUSED;
        }
        if (failure != null || connectivity == Connectivity.DISCONNECTED) {
            return SubscriptionState.RECOVERING;
        }
        return receivedOnce ? SubscriptionState.RUNNING : SubscriptionState.STARTING;
    }

    /** Why the state is not running, if the pollers know: the fatal error, or the last receive failure. */
    Optional<String> cause(Connectivity connectivity) {
        if (fatal != null) {
            return Optional.of(fatal);
        }
        if (failure != null) {
            return Optional.of(failure);
        }
        return connectivity == Connectivity.DISCONNECTED
                ? Optional.of("the receiver's connection to the broker is down; it reconnects by itself") : Optional.empty();
    }
}
