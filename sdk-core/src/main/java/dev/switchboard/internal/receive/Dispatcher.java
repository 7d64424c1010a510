package dev.switchboard.internal.receive;

import dev.switchboard.DeduplicationStore;
import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;
import dev.switchboard.Ordering;
import dev.switchboard.PayloadCodec;
import dev.switchboard.UnknownTypePolicy;
import dev.switchboard.instrumentation.Outcome;
import dev.switchboard.instrumentation.ProcessObservation;
import dev.switchboard.internal.Observers;
import dev.switchboard.internal.binding.CloudEventsBinding;
import dev.switchboard.spi.InboundMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands received messages to handlers. On the poller's thread: wraps each message in an
 * {@link InFlightDelivery}, sends a keyed one (under {@link Ordering#PER_KEY}) through its key's lane, so that a
 * key runs one delivery at a time in order, and splits the rest into at most {@code concurrency} runs. On a
 * worker: reads the event, skips a duplicate, finds the handler, decodes the payload and calls the handler (with
 * the event in the MDC and the observers' context current), then reports the outcome to {@link Settlement}. A
 * delivery that cannot run (the workers are shut down, or the drain has begun) is given back. Thread-safe.
 */
final class Dispatcher {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final ReceiveSettings settings;
    private final HandlerTable handlers;
    private final PayloadCodec codec;
    private final DeduplicationStore deduplication;
    private final Workers workers;
    private final InFlight inFlight;
    private final SubscriptionCounters counters;
    private final Settlement settlement;
    private final Observers observers;
    private final KeyedLanes<InFlightDelivery> lanes = new KeyedLanes<>(this::execute);

    Dispatcher(ReceiveSettings settings, HandlerTable handlers, PayloadCodec codec, DeduplicationStore deduplication,
               Workers workers, InFlight inFlight, SubscriptionCounters counters, Settlement settlement,
               Observers observers) {
        this.settings = settings;
        this.handlers = handlers;
        this.codec = codec;
        this.deduplication = deduplication;
        this.workers = workers;
        this.inFlight = inFlight;
        this.counters = counters;
        this.settlement = settlement;
        this.observers = observers;
    }

    /**
     * Takes a received batch, each message holding a slot of the window. Keyed deliveries go to their lanes one
     * by one; the unordered ones are split into at most {@code concurrency} runs, one task each, so that a batch
     * costs a few hand-offs instead of one per event.
     *
     * <p>With one worker, the poller also decodes each event's attributes before the hand-off: the poller and the
     * single handler thread then share the work per event (the poller parsed the records a moment ago, so their
     * bytes are still in its cache), instead of the handler thread doing all of it while the poller waits for
     * slots. With several workers the workers decode, in parallel.
     */
    void dispatch(List<? extends InboundMessage> batch) {
        boolean ordered = settings.ordering() == Ordering.PER_KEY;
        boolean readAhead = settings.concurrency() == 1;
        List<InFlightDelivery> unordered = new ArrayList<>(batch.size());
        for (InboundMessage message : batch) {
            String key = !ordered ? null : settings.orderByTransportKeyOnly() ? message.key()
                    : CloudEventsBinding.partitionKey(message, settings.attributePrefix());
            InFlightDelivery d = new InFlightDelivery(message, key, settings);
            if (readAhead) {
                d.readAhead();
            }
            inFlight.admit(d);
            counters.received.increment();
            if (key != null) {
                lanes.submit(key, d);
            } else {
                unordered.add(d);
            }
        }
        int size = unordered.size();
        int runs = Math.min(size, settings.concurrency());
        for (int run = 0; run < runs; run++) {
            List<InFlightDelivery> slice = unordered.subList(run * size / runs, (run + 1) * size / runs);
            try {
                workers.execute(() -> slice.forEach(this::attempt));
            } catch (RejectedExecutionException e) {
                slice.forEach(settlement::giveBack);
            }
        }
    }

    /** Runs {@code d}'s handler on a worker: its turn in its lane has come, or its local retry is due. */
    void execute(InFlightDelivery d) {
        try {
            workers.execute(() -> attempt(d));
        } catch (RejectedExecutionException e) {
            settlement.giveBack(d);
        }
    }

    /** {@code d} is settled: the next delivery of its key, if any, may start. */
    void settled(InFlightDelivery d) {
        if (d.laneKey != null) {
            lanes.finished(d.laneKey);
        }
    }

    private void attempt(InFlightDelivery d) {
        if (inFlight.isDraining()) {
            settlement.giveBack(d);
            return;
        }
        if (d.malformation().isPresent()) {
            settlement.deadLetter(d, "malformed",
                    new MessagingException(ErrorCode.INVALID_ARGUMENT, d.malformation().get()));
            return;
        }
        boolean duplicate;
        try {
            duplicate = isDuplicate(d);
        } catch (RuntimeException e) {
            // the store cannot tell whether the event was taken: run nothing now, retry as after a handler failure
            settlement.failed(d, new MessagingException(ErrorCode.UNAVAILABLE,
                    "the deduplication store could not claim event " + d.envelope().id() + ": " + e, e));
            return;
        }
        if (duplicate) {
            counters.duplicates.increment();
            settlement.ack(d, Outcome.duplicate());
            return;
        }
        if (settings.attemptsAreHandlerRuns() && d.attempt() > d.maxAttempts()) {
            // the earlier runs of the handler never came back with an outcome: the process died in the handler
            settlement.deadLetter(d, "retries-exhausted", new MessagingException(ErrorCode.UNKNOWN,
                    (d.attempt() - 1) + " attempt(s) ended with no outcome (the process stopped while the handler ran);"
                    + " the retry policy allows " + d.maxAttempts()));
            return;
        }
        HandlerTable.Invocation invocation = handlers.find(d.envelope());
        if (invocation == null) {
            skipUnknownType(d);
            return;
        }
        ProcessObservation observation = observers.enabled() ? d.observe(observers.processStarted(d)) : null;
        Object payload;
        try {
            payload = invocation.decode(d.envelope(), codec);
        } catch (Exception e) {
            settlement.deadLetter(d, "undecodable", e);
            return;
        }
        Throwable failure = invoke(invocation, payload, d, observation);
        if (observation != null) {
            Observers.handlerEnded(observation, failure);
        }
        if (failure == null) {
            settlement.ack(d);
        } else {
            settlement.failed(d, failure);
        }
    }

    /** Calls the handler with the event in the MDC and the observation's context current; what it threw, or null. */
    private Throwable invoke(HandlerTable.Invocation invocation, Object payload, InFlightDelivery d,
                             ProcessObservation observation) {
        ProcessObservation.Scope scope = observation == null ? null : Observers.makeCurrent(observation);
        try {
            if (settings.mdc()) {
                EventMdc.put(d);
            }
            invocation.invoke(payload, d);
            return null;
        } catch (Throwable t) {
            return t;
        } finally {
            if (settings.mdc()) {
                EventMdc.clear();
            }
            if (scope != null) {
                Observers.close(scope);
            }
        }
    }

    /**
     * Claims the event id for this group unless this delivery holds the claim already (a local retry); a store
     * failure leaves as the store threw it.
     */
    private boolean isDuplicate(InFlightDelivery d) {
        if (settings.deduplicationTtl().isEmpty() || d.claimedForDeduplication()) {
            return false;
        }
        boolean first = deduplication.tryClaim(settings.group(), d.envelope().id(), settings.deduplicationTtl().get());
        if (first) {
            d.markClaimedForDeduplication();
        }
        return !first;
    }

    private void skipUnknownType(InFlightDelivery d) {
        if (settings.unknownTypes() == UnknownTypePolicy.DEAD_LETTER) {
            settlement.deadLetter(d, "unknown-type", new IllegalArgumentException("no handler in " + settings.topic()
                    + "/" + settings.group() + " for type \"" + d.envelope().type() + "\""));
            return;
        }
        counters.skippedUnknownType.increment();
        log.debug("{}/{}: skipped event {} of unhandled type {}", settings.topic(), settings.group(), d.envelope().id(),
                d.envelope().type());
        settlement.ack(d, Outcome.skipped());
    }
}
