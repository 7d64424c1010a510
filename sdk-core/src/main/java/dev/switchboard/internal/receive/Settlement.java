package dev.switchboard.internal.receive;

import dev.switchboard.DeduplicationStore;
import dev.switchboard.ErrorCode;
import dev.switchboard.EventEnvelope;
import dev.switchboard.MessagingException;
import dev.switchboard.RejectException;
import dev.switchboard.RetryAfterException;
import dev.switchboard.RetryPolicy;
import dev.switchboard.instrumentation.Outcome;
import dev.switchboard.instrumentation.ProcessObservation;
import dev.switchboard.internal.Batcher;
import dev.switchboard.internal.Observers;
import dev.switchboard.internal.DeadLetterDiagnostics;
import dev.switchboard.internal.binding.CloudEventsBinding;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.ReceiverDriver;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the outcome of a delivery into its settlement, exactly once per delivery: ack (through the core
 * {@link Batcher} under the receiver's settlement batching), give back (nack), or dead letter (written before
 * the ack). A failure goes through the retry policy: a keyed delivery is retried here, in its lane; an unkeyed
 * one is nacked with the backoff as redelivery delay where the broker holds it, else retried here after the
 * delay, holding its slot. A failed dead-letter write is nacked with the backoff where the broker holds it,
 * else written again here. A delivery given back for any reason releases its deduplication claim.
 *
 * <p>Settlement calls nothing above it: a local retry that is due and a settled delivery are reported through
 * the two callbacks it is built with. Thread-safe.
 */
final class Settlement {
    private static final Logger log = LoggerFactory.getLogger(Settlement.class);

    private final ReceiveSettings settings;
    private final RetryPolicy retryPolicy;
    private final ReceiverDriver receiver;
    private final DeduplicationStore deduplication;
    private final Scheduler scheduler;
    private final Executor retries;
    private final Function<Throwable, MessagingException> classify;
    private final InFlight inFlight;
    private final SubscriptionCounters counters;
    private final Consumer<InFlightDelivery> runAgain;
    private final Consumer<InFlightDelivery> released;
    private final FailureHistory failureHistory = new FailureHistory();
    private final Batcher<InFlightDelivery> acks;
    private final Observers observers;
    /** Deliveries whose ack call has completed, either way. */
    private final LongAdder completedAcks = new LongAdder();

    /**
     * @param retries runs a dead-letter write again once its backoff passed: a driver call may block, and the
     *     scheduler's thread must not
     * @param runAgain runs a delivery's handler again once its local retry is due; the delivery keeps its slot
     *     and lane
     * @param released told once a delivery is settled and its slot given back, so that its lane may go on
     * @param observers told of each delivery's outcome
     */
    Settlement(ReceiveSettings settings, ReceiverDriver receiver, DeduplicationStore deduplication, Scheduler scheduler,
               Executor retries, Function<Throwable, MessagingException> classify, InFlight inFlight,
               SubscriptionCounters counters, Consumer<InFlightDelivery> runAgain, Consumer<InFlightDelivery> released,
               Observers observers) {
        this.settings = settings;
        this.retryPolicy = settings.retryPolicy();
        this.receiver = receiver;
        this.deduplication = deduplication;
        this.scheduler = scheduler;
        this.retries = retries;
        this.classify = classify;
        this.inFlight = inFlight;
        this.counters = counters;
        this.runAgain = runAgain;
        this.released = released;
        this.observers = observers;
        this.acks = new Batcher<>(receiver.settlementBatching(), this::sendAcks);
    }

    /** Handled: acks. */
    void ack(InFlightDelivery d) {
        ack(d, Outcome.acked());
    }

    /** Acks: handled, or settled unhandled ({@link Outcome#skipped()}, {@link Outcome#duplicate()}). */
    void ack(InFlightDelivery d, Outcome outcome) {
        if (!d.claimSettlement()) {
            return;
        }
        failureHistory.forget(settings.group(), d.envelope().id());
        queueAck(d, counters.acknowledged);
        report(d, outcome);
        finish(d);
    }

    /** Gives {@code d} back to the broker for redelivery now: it cannot run here (shutdown, drain). */
    void giveBack(InFlightDelivery d) {
        if (!d.claimSettlement()) {
            return;
        }
        nack(d, Duration.ZERO);
        report(d, Outcome.returned());
        finish(d);
    }

    /**
     * The drain's turn: if a local retry of {@code d} (of its handler, or of its dead-letter write) is waiting,
     * cancels it and gives {@code d} back.
     */
    void cancelLocalRetry(InFlightDelivery d) {
        if (d.cancelPendingRetry()) {
            d.claimSettlement(); // already claimed when a dead-letter write was waiting: this caller settles either way
            nack(d, Duration.ZERO);
            report(d, Outcome.returned());
            finish(d);
        }
    }

    /** The handler threw: rejects, retries under the policy, or dead-letters once it is exhausted. */
    void failed(InFlightDelivery d, Throwable failure) {
        if (failure instanceof RejectException) {
            deadLetter(d, "rejected", failure);
            return;
        }
        d.recordFailure(scheduler.now(), failureHistory.firstFailure(settings.group(), d.envelope().id()));
        if (failure instanceof Error && !(failure instanceof AssertionError)) {
            log.error("{}/{}: handler threw {} on event {}", settings.topic(), settings.group(), failure,
                    d.envelope().id(), failure);
        } else {
            log.debug("{}/{}: attempt {} of event {} failed: {}", settings.topic(), settings.group(), d.attempt(),
                    d.envelope().id(), failure.toString());
        }
        boolean explicit = failure instanceof RetryAfterException;
        boolean retry = explicit ? d.attempt() < retryPolicy.maxAttempts() : retryPolicy.shouldRetry(failure, d.attempt());
        if (!retry) {
            deadLetter(d, d.attempt() >= retryPolicy.maxAttempts() ? "retries-exhausted" : "not-retryable", failure);
            return;
        }
        counters.retried.increment();
        Duration delay = explicit ? ((RetryAfterException) failure).delay() : retryPolicy.backoff(d.attempt());
        if (delay.compareTo(settings.maxRedeliveryDelay()) > 0) {
            log.warn("{}/{}: retry-after {} is longer than this broker allows; retrying after {}", settings.topic(),
                    settings.group(), delay, settings.maxRedeliveryDelay());
            delay = settings.maxRedeliveryDelay();
        }
        // a claim that cannot be released must stay with this delivery: given back, its redelivery would be
        // taken for a duplicate and acked unhandled
        if (d.laneKey != null || !settings.brokerDelays() || !releaseClaim(d)) {
            report(d, Outcome.retryScheduled(delay, failure), false);
            retryHere(d, delay);
            return;
        }
        if (!d.claimSettlement()) {
            return;
        }
        failureHistory.remember(settings.group(), d.envelope().id(), d.firstFailure());
        nack(d, delay);
        report(d, Outcome.retryScheduled(delay, failure));
        finish(d);
    }

    /**
     * Retries after {@code delay} in this process, keeping the delivery's slot: a keyed delivery so that later
     * events of its key wait in its lane, any delivery where the broker cannot hold a nacked message for a delay.
     */
    private void retryHere(InFlightDelivery d, Duration delay) {
        d.nextAttempt();
        try {
            d.pendingRetry(scheduler.schedule(() -> runAgain.accept(d), delay));
        } catch (RejectedExecutionException e) {
            giveBack(d);
            return;
        }
        if (inFlight.isDraining() && d.cancelPendingRetry()) {
            giveBack(d);
        }
    }

    /** Writes {@code d}'s dead letter with diagnostics, then acks it. */
    void deadLetter(InFlightDelivery d, String reason, Throwable error) {
        if (!d.claimSettlement()) {
            return;
        }
        OffsetDateTime now = scheduler.now();
        OffsetDateTime first = d.firstFailure() != null ? d.firstFailure() : now;
        OffsetDateTime last = d.lastFailure() != null ? d.lastFailure() : now;
        EventEnvelope deadLetter = DeadLetterDiagnostics.attach(d.envelope(), reason, error, settings.topic(),
                settings.group(), d.attempt(), first, last, d.message.transportId());
        EventEnvelope fitted = DeadLetterDiagnostics.fit(deadLetter, settings.maxDeadLetterBytes());
        if (fitted != deadLetter) {
            log.warn("{}/{}: event {} ({}) is too large for its dead-letter destination; its payload is cut to {} of {}"
                    + " bytes, the original stays at {}", settings.topic(), settings.group(), d.envelope().id(),
                    d.envelope().type(), fitted.payload().size(), deadLetter.payload().size(), d.message.transportId());
        }
        writeDeadLetter(d, fitted, Outcome.deadLettered(reason, error), 1);
    }

    /**
     * Writes the dead letter, then acks. If the broker refuses it as invalid (too large after all: its limit is
     * below the driver's estimate) it is written again at once with its payload cut to nothing, the diagnostics
     * kept, so that one event cannot hold its group's position forever. If the write fails otherwise the delivery goes back for redelivery with the
     * backoff, where the broker can hold it; elsewhere the write is tried again here after the backoff.
     */
    private void writeDeadLetter(InFlightDelivery d, EventEnvelope deadLetter, Outcome outcome, int write) {
        CompletableFuture<Void> written;
        try {
            written = receiver.deadLetter(d.message, CloudEventsBinding.outbound(deadLetter));
        } catch (RuntimeException e) {
            written = CompletableFuture.failedFuture(e);
        }
        written.whenComplete((ok, e) -> {
            if (e != null && classify.apply(e).code() == ErrorCode.INVALID_ARGUMENT && !deadLetter.payload().isEmpty()) {
                EventEnvelope emptied = DeadLetterDiagnostics.cut(deadLetter, 0);
                log.warn("{}/{}: the broker refused the dead letter of event {} ({}); writing it with its payload cut,"
                        + " the original stays at {}", settings.topic(), settings.group(), d.envelope().id(),
                        classify.apply(e).getMessage(), d.message.transportId());
                try {
                    retries.execute(() -> writeDeadLetter(d, emptied, outcome, write + 1));
                    return;
                } catch (RejectedExecutionException closed) {
                    // closing: give it back below, like any failed write
                }
            }
            if (e == null) {
                failureHistory.forget(settings.group(), d.envelope().id());
                log.info("{}/{}: event {} ({}) dead-lettered after {} attempt(s): {}", settings.topic(), settings.group(),
                        d.envelope().id(), d.envelope().type(), d.attempt(), outcome.reason().orElseThrow());
                queueAck(d, counters.deadLettered);
                report(d, outcome);
                finish(d);
                return;
            }
            Duration backoff = retryPolicy.backoff(Math.min(write, retryPolicy.maxAttempts()));
            log.warn("{}/{}: dead-letter write of event {} failed, trying again in {} ms: {}", settings.topic(),
                    settings.group(), d.envelope().id(), backoff.toMillis(), classify.apply(e).getMessage());
            if (settings.brokerDelays() || inFlight.isDraining()) {
                nack(d, backoff);
                report(d, Outcome.returned());
                finish(d);
                return;
            }
            try {
                d.pendingRetry(scheduler.schedule(() -> rewriteDeadLetter(d, deadLetter, outcome, write + 1), backoff));
            } catch (RejectedExecutionException closed) {
                nack(d, Duration.ZERO);
                report(d, Outcome.returned());
                finish(d);
                return;
            }
            if (inFlight.isDraining() && d.cancelPendingRetry()) {
                nack(d, Duration.ZERO);
                report(d, Outcome.returned());
                finish(d);
            }
        });
    }

    private void rewriteDeadLetter(InFlightDelivery d, EventEnvelope deadLetter, Outcome outcome, int write) {
        try {
            retries.execute(() -> writeDeadLetter(d, deadLetter, outcome, write));
        } catch (RejectedExecutionException closed) {
            nack(d, Duration.ZERO);
            report(d, Outcome.returned());
            finish(d);
        }
    }

    /**
     * Whether every ack asked for so far has completed. Every delivery handed to the ack batcher was counted as
     * acknowledged or dead-lettered just before ({@link #queueAck}), so their sum is the number of acks asked
     * for; reading the completions first keeps a later ack from being taken for an earlier one.
     */
    boolean acksCompleted() {
        long completed = completedAcks.sum();
        return completed >= counters.acknowledged.sum() + counters.deadLettered.sum();
    }

    private void queueAck(InFlightDelivery d, LongAdder counter) {
        counter.increment();
        acks.add(d);
    }

    /** One ack call for a batch of deliveries; a failure means the broker redelivers them. */
    private CompletableFuture<?> sendAcks(List<InFlightDelivery> batch) {
        List<InboundMessage> messages;
        if (batch.size() == 1) {
            messages = List.of(batch.get(0).message);
        } else {
            messages = new ArrayList<>(batch.size());
            for (InFlightDelivery d : batch) {
                messages.add(d.message);
            }
        }
        CompletableFuture<Void> acked;
        try {
            acked = receiver.ack(messages);
        } catch (RuntimeException e) {
            acked = CompletableFuture.failedFuture(e);
        }
        if (acked.isDone() && !acked.isCompletedExceptionally()) {
            // most drivers only record an ack: no callback to allocate for those
            ackCallCompleted(batch.size());
        } else {
            acked.whenComplete((ok, e) -> {
                if (e != null) {
                    log.warn("{}/{}: ack of {} event(s) failed, the broker will redeliver them: {}", settings.topic(),
                            settings.group(), batch.size(), classify.apply(e).getMessage());
                }
                ackCallCompleted(batch.size());
            });
        }
        return acked;
    }

    /** Releases the delivery's deduplication claim, if it holds one; false if the store failed (logged). */
    private boolean releaseClaim(InFlightDelivery d) {
        if (!d.claimedForDeduplication()) {
            return true;
        }
        try {
            deduplication.release(settings.group(), d.envelope().id());
            d.clearDeduplicationClaim();
            return true;
        } catch (RuntimeException e) {
            log.warn("{}/{}: the deduplication store could not release event {}: {}", settings.topic(), settings.group(),
                    d.envelope().id(), e.toString());
            return false;
        }
    }

    private void ackCallCompleted(int deliveries) {
        completedAcks.add(deliveries);
        inFlight.wakeDrain();
    }

    /**
     * Nacks with {@code delay} where the broker holds it. The deduplication claim goes first: a redelivery that
     * found it still held would be taken for a duplicate and acked unhandled.
     */
    private void nack(InFlightDelivery d, Duration delay) {
        if (!releaseClaim(d)) {
            log.error("{}/{}: event {} goes back to the broker with its deduplication claim still held: its redelivery"
                    + " will be taken for a duplicate until the claim expires", settings.topic(), settings.group(),
                    d.envelope().id());
        }
        CompletableFuture<Void> nacked;
        try {
            nacked = receiver.nack(List.of(d.message), settings.brokerDelays() ? delay : Duration.ZERO);
        } catch (RuntimeException e) {
            nacked = CompletableFuture.failedFuture(e);
        }
        nacked.whenComplete((ok, e) -> {
            if (e != null) {
                log.warn("{}/{}: nack of event {} failed, the broker will redeliver it: {}", settings.topic(),
                        settings.group(), d.envelope().id(), classify.apply(e).getMessage());
            }
        });
    }

    /**
     * Tells the observers how {@code d} ended: its handler call's observation, or the no-handler callback. A
     * scheduled retry ends only the handler call ({@code last} false); every other outcome settles the delivery,
     * once — a report that finds the outcome reported already (a drain gave the delivery back first) tells nothing.
     */
    private void report(InFlightDelivery d, Outcome outcome, boolean last) {
        if (!observers.enabled()) {
            return;
        }
        ProcessObservation observation = d.takeObservation(last);
        if (observation == InFlightDelivery.SETTLED) {
            return;
        }
        if (observation != null) {
            Observers.settled(observation, outcome);
        } else if (last) {
            observers.settledWithoutHandler(d, outcome);
        }
    }

    private void report(InFlightDelivery d, Outcome outcome) {
        report(d, outcome, true);
    }

    private void finish(InFlightDelivery d) {
        inFlight.settled(d);
        released.accept(d);
    }
}
