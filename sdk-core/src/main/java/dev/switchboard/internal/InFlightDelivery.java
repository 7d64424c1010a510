package dev.switchboard.internal;

import dev.switchboard.EventContext;
import dev.switchboard.EventEnvelope;
import dev.switchboard.spi.Delivery;
import java.time.OffsetDateTime;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One delivery from receipt until it is settled (acked, nacked or dead-lettered), exactly once: whoever
 * wins {@link #claimSettlement()} settles it; a handler finishing after a drain gave it back loses.
 */
final class InFlightDelivery implements EventContext {
    final Delivery delivery;
    /** The ordering lane, or null when the delivery is not ordered. */
    final String laneKey;
    private final String topic;
    private final String group;
    private final int maxAttempts;
    private static final AtomicIntegerFieldUpdater<InFlightDelivery> SETTLED =
            AtomicIntegerFieldUpdater.newUpdater(InFlightDelivery.class, "settled");

    private volatile int settled;
    private volatile int attempt;
    private volatile boolean claimedForDeduplication;
    private volatile OffsetDateTime firstFailure;
    private volatile OffsetDateTime lastFailure;
    private volatile Throwable lastError;
    private volatile ScheduledFuture<?> pendingRetry;

    InFlightDelivery(Delivery delivery, String laneKey, String topic, String group, int maxAttempts) {
        this.delivery = delivery;
        this.laneKey = laneKey;
        this.topic = topic;
        this.group = group;
        this.maxAttempts = maxAttempts;
        this.attempt = Math.max(1, delivery.attempt());
    }

    @Override
    public EventEnvelope envelope() {
        return delivery.envelope();
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public String group() {
        return group;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public int maxAttempts() {
        return maxAttempts;
    }

    void nextAttempt() {
        attempt++;
    }

    boolean claimSettlement() {
        return SETTLED.compareAndSet(this, 0, 1);
    }

    boolean isSettled() {
        return settled == 1;
    }

    void recordFailure(Throwable error, OffsetDateTime now, OffsetDateTime knownFirstFailure) {
        if (firstFailure == null) {
            firstFailure = knownFirstFailure != null ? knownFirstFailure : now;
        }
        lastFailure = now;
        lastError = error;
    }

    OffsetDateTime firstFailure() {
        return firstFailure;
    }

    OffsetDateTime lastFailure() {
        return lastFailure;
    }

    Throwable lastError() {
        return lastError;
    }

    boolean claimedForDeduplication() {
        return claimedForDeduplication;
    }

    void markClaimedForDeduplication() {
        claimedForDeduplication = true;
    }

    void pendingRetry(ScheduledFuture<?> retry) {
        pendingRetry = retry;
    }

    /** Cancels a scheduled local retry; true if it had not started, so the caller must settle. */
    boolean cancelPendingRetry() {
        ScheduledFuture<?> retry = pendingRetry;
        return retry != null && retry.cancel(false);
    }
}
