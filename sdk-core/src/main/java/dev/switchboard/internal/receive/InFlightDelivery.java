package dev.switchboard.internal.receive;

import dev.switchboard.EventEnvelope;
import dev.switchboard.instrumentation.DeliveryContext;
import dev.switchboard.instrumentation.Outcome;
import dev.switchboard.instrumentation.ProcessObservation;
import dev.switchboard.internal.Observers;
import dev.switchboard.internal.binding.CloudEventsBinding;
import dev.switchboard.spi.InboundMessage;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * One delivery from receipt until it is settled (acked, nacked or dead-lettered), exactly once: whoever
 * wins {@link #claimSettlement()} settles it; a handler finishing after a drain gave it back loses. The
 * envelope is decoded from the wire message on first use: on a handler's thread, unless the dispatcher
 * {@linkplain #readAhead() reads it ahead} on the poller's.
 * Thread-safe; the subscription-wide values come from the shared {@link ReceiveSettings}.
 */
final class InFlightDelivery implements DeliveryContext {
    private static final AtomicIntegerFieldUpdater<InFlightDelivery> SETTLED_FLAG =
            AtomicIntegerFieldUpdater.newUpdater(InFlightDelivery.class, "settled");
    private static final AtomicReferenceFieldUpdater<InFlightDelivery, ProcessObservation> OBSERVATION =
            AtomicReferenceFieldUpdater.newUpdater(InFlightDelivery.class, ProcessObservation.class, "observation");
    /** What {@link #takeObservation} leaves once the delivery's outcome has been reported. */
    static final ProcessObservation SETTLED = new ProcessObservation() {
    };

    final InboundMessage message;
    /** The ordering lane, or null when the delivery is not ordered. */
    final String laneKey;
    private final ReceiveSettings settings;
    private volatile CloudEventsBinding.Read read;
    private volatile int settled;
    private volatile int attempt;
    private volatile boolean claimedForDeduplication;
    private volatile OffsetDateTime firstFailure;
    private volatile OffsetDateTime lastFailure;
    private volatile Future<?> pendingRetry;
    /** The observation of the handler call under way, until its outcome is reported; null when nobody observes. */
    private volatile ProcessObservation observation;

    InFlightDelivery(InboundMessage message, String laneKey, ReceiveSettings settings) {
        this.message = message;
        this.laneKey = laneKey;
        this.settings = settings;
        this.attempt = Math.max(1, message.attempt());
    }

    @Override
    public EventEnvelope envelope() {
        return read().envelope();
    }

    /** Why the message could not be read faithfully as an event, if so. */
    Optional<String> malformation() {
        return read().malformation();
    }

    /**
     * Decodes the envelope now, on the calling thread, so that the handler's thread finds it ready. A failure
     * here is left for the handler's thread, which decodes again and meets it where every other failure of a
     * delivery is handled.
     */
    void readAhead() {
        try {
            read();
        } catch (RuntimeException e) {
            // decoded again on the handler's thread
        }
    }

    /** Decoding is deterministic: two threads racing here build equal envelopes, and either may be kept. */
    private CloudEventsBinding.Read read() {
        CloudEventsBinding.Read current = read;
        if (current == null) {
            current = CloudEventsBinding.decode(message, settings.attributePrefix(), settings.fallbackSource());
            read = current;
        }
        return current;
    }

    @Override
    public String topic() {
        return settings.topic();
    }

    @Override
    public String group() {
        return settings.group();
    }

    @Override
    public String system() {
        return settings.system();
    }

    @Override
    public String transportId() {
        return message.transportId();
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public int maxAttempts() {
        return settings.retryPolicy().maxAttempts();
    }

    void nextAttempt() {
        attempt++;
    }

    boolean claimSettlement() {
        return SETTLED_FLAG.compareAndSet(this, 0, 1);
    }

    void recordFailure(OffsetDateTime now, OffsetDateTime knownFirstFailure) {
        if (firstFailure == null) {
            firstFailure = knownFirstFailure != null ? knownFirstFailure : now;
        }
        lastFailure = now;
    }

    OffsetDateTime firstFailure() {
        return firstFailure;
    }

    OffsetDateTime lastFailure() {
        return lastFailure;
    }

    boolean claimedForDeduplication() {
        return claimedForDeduplication;
    }

    void markClaimedForDeduplication() {
        claimedForDeduplication = true;
    }

    /** The claim was released: a later attempt here claims anew. */
    void clearDeduplicationClaim() {
        claimedForDeduplication = false;
    }

    /**
     * Starts observing this handler call. If the delivery was settled meanwhile (a drain gave it back while the
     * observer was starting), the observation is ended at once as given back, and null returned: the handler call
     * goes on unobserved.
     */
    ProcessObservation observe(ProcessObservation started) {
        if (OBSERVATION.compareAndSet(this, null, started)) {
            return started;
        }
        Observers.settled(started, Outcome.returned());
        return null;
    }

    /**
     * The observation of the handler call under way, taken by whoever reports its outcome — exactly one caller gets
     * it. {@code last}: the delivery itself is settled, so a handler call that starts observing later is ended at
     * once. Returns null if no call is observed, or {@link #SETTLED} if the delivery's outcome was reported already.
     */
    ProcessObservation takeObservation(boolean last) {
        return OBSERVATION.getAndSet(this, last ? SETTLED : null);
    }

    /** A local retry (of the handler, or of a dead-letter write) is scheduled; the drain may cancel it. */
    void pendingRetry(Future<?> retry) {
        pendingRetry = retry;
    }

    /** Cancels a scheduled local retry; true if it had not started, so the caller must settle. */
    boolean cancelPendingRetry() {
        Future<?> retry = pendingRetry;
        return retry != null && retry.cancel(false);
    }
}
