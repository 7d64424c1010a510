package dev.switchboard.internal.receive;

import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;
import dev.switchboard.Ordering;
import dev.switchboard.RejectException;
import dev.switchboard.RetryAfterException;
import dev.switchboard.RetryPolicy;
import dev.switchboard.Subscription;
import dev.switchboard.SubscriberStats;
import dev.switchboard.UnknownTypePolicy;
import dev.switchboard.internal.Batcher;
import dev.switchboard.internal.CoreSettings;
import dev.switchboard.internal.DeadLetterDiagnostics;
import dev.switchboard.internal.RuntimeContext;
import dev.switchboard.internal.Threads;
import dev.switchboard.internal.UtcClock;
import dev.switchboard.internal.binding.CloudEventsBinding;
import dev.switchboard.spi.Capability;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.ReceiverDriver;
import dev.switchboard.spi.ReceiverSpec;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running subscription: a poller thread that receives while there is capacity, a worker pool of
 * {@code concurrency} threads that runs handlers, per-key lanes for ordering, and the settlement of every
 * delivery (ack, retry, dead letter) under the subscription's policies.
 *
 * <p>Retries: an ordered (keyed) delivery is retried here, in its lane, so later events of its key wait for
 * it; an unordered one is nacked with the backoff as redelivery delay, freeing its slot meanwhile.
 * In-flight deliveries are bounded by an {@link InFlightWindow} of {@code concurrency * prefetch} slots, taken
 * before receiving and released on settlement.
 */
public final class SubscriptionRuntime {
    private static final Logger log = LoggerFactory.getLogger(SubscriptionRuntime.class);
    private static final Duration MAX_RECEIVE_BACKOFF = Duration.ofSeconds(5);
    /** How long the poller waits for a refill batch of slots before receiving with what it has. */
    private static final Duration REFILL_WAIT = Duration.ofMillis(10);

    private final RuntimeContext context;
    private final Subscription subscription;
    private final HandlerTable handlers;
    private final RetryPolicy retryPolicy;
    private final Ordering ordering;
    private final UnknownTypePolicy unknownTypes;
    private final int concurrency;
    private final int maxInFlight;
    private final ReceiverDriver receiver;
    private final Batcher<InFlightDelivery> acks;
    private final String attributePrefix;
    private final String fallbackSource;
    /** Whether the broker keeps a nacked message for a delay; if not, delayed retries wait here. */
    private final boolean brokerDelays;
    /** Serializes taking slots when several pollers receive at once. */
    private final Object slotLock = new Object();
    private final ExecutorService workers;
    private final KeyedLanes<InFlightDelivery> lanes;
    private final InFlightWindow window;
    /** Slots worth a receive when the window is nearly full: a quarter of it. */
    private final int refillBatch;
    private final Set<InFlightDelivery> inFlight = ConcurrentHashMap.newKeySet();
    private final Set<Thread> workerThreads = ConcurrentHashMap.newKeySet();
    private final FailureHistory failureHistory = new FailureHistory();
    private final SubscriptionCounters counters = new SubscriptionCounters();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Object drainMonitor = new Object();
    private final Consumer<SubscriptionRuntime> onClosed;
    private final List<Thread> pollers = new ArrayList<>();
    private volatile boolean drained;

    private SubscriptionRuntime(RuntimeContext context, Subscription subscription,
                                Consumer<SubscriptionRuntime> onClosed) {
        CoreSettings settings = context.settings();
        this.context = context;
        this.subscription = subscription;
        this.onClosed = onClosed;
        this.handlers = new HandlerTable(subscription, context.types());
        this.retryPolicy = subscription.retryPolicy().orElse(settings.retryPolicy());
        this.unknownTypes = subscription.unknownTypePolicy().orElse(settings.unknownTypes());
        this.ordering = resolveOrdering(subscription, context.driver().capabilities());
        this.concurrency = subscription.concurrency().orElse(settings.concurrency());
        this.maxInFlight = concurrency * subscription.prefetch().orElse(settings.prefetch());
        this.window = new InFlightWindow(maxInFlight);
        this.refillBatch = Math.max(1, maxInFlight / 4);
        String name = "switchboard-" + subscription.topic() + "-" + subscription.group();
        ThreadFactory threads = Threads.named(name, true);
        this.workers = Executors.newFixedThreadPool(concurrency, runnable -> {
            Thread thread = threads.newThread(runnable);
            workerThreads.add(thread);
            return thread;
        });
        this.lanes = new KeyedLanes<>(this::execute);
        checkRedeliveryDelay(subscription, retryPolicy, context.driver().maxRedeliveryDelay());
        this.receiver = context.openReceiver(context.receiverSpec(subscription.topic(), subscription.group(),
                ReceiverSpec.Source.SUBSCRIPTION, maxInFlight,
                subscription.onlyHandledTypes() ? handlers.types() : Set.of()));
        this.attributePrefix = context.driver().attributePrefix();
        this.fallbackSource = context.brokerName() + ":" + subscription.topic();
        this.brokerDelays = context.driver().capabilities().contains(Capability.REDELIVERY_DELAY);
        this.acks = new Batcher<>(receiver.settlementBatching(), this::sendAcks);
        ThreadFactory pollerThreads = Threads.named(name + "-poller", true);
        for (int i = 0; i < Math.max(1, receiver.maxConcurrentReceives()); i++) {
            pollers.add(pollerThreads.newThread(this::pollLoop));
        }
    }

    /** Provisions, opens the receiver and starts polling. */
    public static SubscriptionRuntime start(RuntimeContext context, Subscription subscription,
                                            Consumer<SubscriptionRuntime> onClosed) {
        SubscriptionRuntime runtime = new SubscriptionRuntime(context, subscription, onClosed);
        runtime.pollers.forEach(Thread::start);
        return runtime;
    }

    private static Ordering resolveOrdering(Subscription subscription, Set<Capability> capabilities) {
        boolean supported = capabilities.contains(Capability.ORDERING_BY_KEY);
        Ordering wanted = subscription.ordering().orElse(supported ? Ordering.PER_KEY : Ordering.NONE);
        if (wanted == Ordering.PER_KEY && !supported) {
            throw new MessagingException(ErrorCode.FAILED_PRECONDITION, "subscription " + subscription.topic() + "/"
                    + subscription.group() + " asks for per-key ordering, which this broker (as configured) cannot keep;"
                    + " use an ordered topic (for example SNS/SQS FIFO) or ordering(Ordering.NONE)");
        }
        return wanted;
    }

    private static void checkRedeliveryDelay(Subscription subscription, RetryPolicy policy, Duration limit) {
        if (policy.maxAttempts() > 1 && policy.maxBackoff().compareTo(limit) > 0) {
            throw new MessagingException(ErrorCode.INVALID_ARGUMENT, "subscription " + subscription.topic() + "/"
                    + subscription.group() + ": the retry policy may wait up to " + policy.maxBackoff()
                    + " between attempts, but this broker redelivers after at most " + limit
                    + "; lower RetryPolicy.withMaxBackoff (or switchboard.retry.max-backoff)");
        }
    }

    public String topic() {
        return subscription.topic();
    }

    public String group() {
        return subscription.group();
    }

    public boolean isRunning() {
        return !closing.get();
    }

    public Duration defaultShutdownTimeout() {
        return context.settings().shutdownTimeout();
    }

    public SubscriberStats stats() {
        return counters.snapshot(inFlight.size());
    }

    private void pollLoop() {
        Duration pollTimeout = context.settings().pollTimeout();
        Duration backoff = Duration.ofMillis(100);
        while (!closing.get()) {
            int taken = 0;
            try {
                taken = acquireReceiveBatch(pollTimeout);
                if (taken == 0) {
                    continue;
                }
                List<? extends InboundMessage> batch = receiver.receive(taken, pollTimeout);
                window.release(taken - batch.size());
                taken = 0;
                dispatch(batch);
                backoff = Duration.ofMillis(100);
            } catch (InterruptedException e) {
                window.release(taken);
                if (!closing.get()) {
                    log.warn("{}/{}: receive interrupted while running; continuing", topic(), group());
                }
            } catch (RuntimeException e) {
                window.release(taken);
                if (closing.get()) {
                    break;
                }
                MessagingException failure = context.classify(e);
                log.warn("{}/{}: receive failed ({}), retrying in {} ms", topic(), group(), failure.getMessage(),
                        backoff.toMillis());
                if (!sleep(backoff)) {
                    continue;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_RECEIVE_BACKOFF) > 0 ? MAX_RECEIVE_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    /**
     * Slots for the next receive, 0 if none came free within {@code pollTimeout}. When most slots are taken (the
     * handlers are behind), waits up to {@link #REFILL_WAIT} for a refill batch instead of receiving one event per
     * freed slot: a receive costs a driver call, and the handlers still have most of the window queued meanwhile.
     */
    private int acquireReceiveBatch(Duration pollTimeout) throws InterruptedException {
        int atMost = pollers.size() == 1 ? Integer.MAX_VALUE : Math.max(1, maxInFlight / pollers.size());
        synchronized (slotLock) {
            int taken = window.take(Math.min(refillBatch, atMost), atMost, REFILL_WAIT.toNanos(), TimeUnit.NANOSECONDS);
            return taken > 0 ? taken : window.take(1, atMost, pollTimeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Keyed deliveries go to their lanes one by one; the unordered ones are split into at most
     * {@code concurrency} runs, one task each, so that a batch costs a few hand-offs instead of one per event.
     */
    private void dispatch(List<? extends InboundMessage> batch) {
        List<InFlightDelivery> unordered = new ArrayList<>(batch.size());
        for (InboundMessage message : batch) {
            String key = ordering == Ordering.PER_KEY ? CloudEventsBinding.partitionKey(message, attributePrefix) : null;
            InFlightDelivery d = new InFlightDelivery(message, key, topic(), group(), retryPolicy.maxAttempts(),
                    attributePrefix, fallbackSource);
            inFlight.add(d);
            counters.received.increment();
            if (key != null) {
                lanes.submit(key, d);
            } else {
                unordered.add(d);
            }
        }
        int runs = Math.min(unordered.size(), concurrency);
        for (int run = 0; run < runs; run++) {
            List<InFlightDelivery> slice = unordered.subList(run * unordered.size() / runs, (run + 1) * unordered.size() / runs);
            try {
                workers.execute(() -> slice.forEach(this::attempt));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                slice.forEach(d -> nack(d, Duration.ZERO));
            }
        }
    }

    private void execute(InFlightDelivery d) {
        try {
            workers.execute(() -> attempt(d));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            nack(d, Duration.ZERO);
        }
    }

    private void attempt(InFlightDelivery d) {
        if (closing.get()) {
            nack(d, Duration.ZERO);
            return;
        }
        if (d.malformation().isPresent()) {
            deadLetter(d, "malformed", new MessagingException(ErrorCode.INVALID_ARGUMENT, d.malformation().get()));
            return;
        }
        if (isDuplicate(d)) {
            counters.duplicates.increment();
            ack(d);
            return;
        }
        HandlerTable.Invocation invocation = handlers.find(d.envelope());
        if (invocation == null) {
            skipUnknownType(d);
            return;
        }
        Object payload;
        try {
            payload = invocation.decode(d.envelope(), context.codec());
        } catch (Exception e) {
            deadLetter(d, "undecodable", e);
            return;
        }
        try {
            invocation.invoke(payload, d);
        } catch (RejectException e) {
            deadLetter(d, "rejected", e);
            return;
        } catch (Throwable t) {
            onFailure(d, t);
            return;
        }
        ack(d);
    }

    private boolean isDuplicate(InFlightDelivery d) {
        if (subscription.deduplicationTtl().isEmpty() || d.claimedForDeduplication()) {
            return false;
        }
        boolean first = context.deduplicationStore().tryClaim(group(), d.envelope().id(), subscription.deduplicationTtl().get());
        if (first) {
            d.markClaimedForDeduplication();
        }
        return !first;
    }

    private void skipUnknownType(InFlightDelivery d) {
        if (unknownTypes == UnknownTypePolicy.DEAD_LETTER) {
            deadLetter(d, "unknown-type", new IllegalArgumentException("no handler in " + topic() + "/" + group()
                    + " for type \"" + d.envelope().type() + "\""));
            return;
        }
        counters.skippedUnknownType.increment();
        log.debug("{}/{}: skipped event {} of unhandled type {}", topic(), group(), d.envelope().id(), d.envelope().type());
        ack(d);
    }

    private void onFailure(InFlightDelivery d, Throwable failure) {
        OffsetDateTime now = UtcClock.now();
        d.recordFailure(now, failureHistory.firstFailure(group(), d.envelope().id()));
        if (failure instanceof Error && !(failure instanceof AssertionError)) {
            log.error("{}/{}: handler threw {} on event {}", topic(), group(), failure, d.envelope().id(), failure);
        } else {
            log.debug("{}/{}: attempt {} of event {} failed: {}", topic(), group(), d.attempt(), d.envelope().id(), failure.toString());
        }
        boolean explicit = failure instanceof RetryAfterException;
        boolean retry = explicit ? d.attempt() < retryPolicy.maxAttempts() : retryPolicy.shouldRetry(failure, d.attempt());
        if (!retry) {
            deadLetter(d, d.attempt() >= retryPolicy.maxAttempts() ? "retries-exhausted" : "not-retryable", failure);
            return;
        }
        counters.retried.increment();
        Duration delay = explicit ? ((RetryAfterException) failure).delay() : retryPolicy.backoff(d.attempt());
        Duration limit = context.driver().maxRedeliveryDelay();
        if (delay.compareTo(limit) > 0) {
            log.warn("{}/{}: retry-after {} is longer than this broker allows; retrying after {}", topic(), group(), delay, limit);
            delay = limit;
        }
        if (d.laneKey != null || !brokerDelays) {
            retryHere(d, delay);
        } else {
            failureHistory.remember(group(), d.envelope().id(), d.firstFailure());
            if (d.claimedForDeduplication()) {
                context.deduplicationStore().release(group(), d.envelope().id());
            }
            nack(d, delay);
        }
    }

    /**
     * Retries after {@code delay} in this process, keeping the delivery's slot: a keyed delivery so that later
     * events of its key wait in its lane, any delivery where the broker cannot hold a nacked message for a delay.
     */
    private void retryHere(InFlightDelivery d, Duration delay) {
        d.nextAttempt();
        try {
            d.pendingRetry(context.scheduler().schedule(() -> execute(d), delay.toNanos(), TimeUnit.NANOSECONDS));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            nack(d, Duration.ZERO);
            return;
        }
        if (closing.get() && d.cancelPendingRetry()) {
            nack(d, Duration.ZERO);
        }
    }

    private void ack(InFlightDelivery d) {
        if (!d.claimSettlement()) {
            return;
        }
        counters.acknowledged.increment();
        failureHistory.forget(group(), d.envelope().id());
        acks.add(d);
        finish(d);
    }

    /** One ack call for a batch of deliveries; a failure means the broker redelivers them. */
    private CompletableFuture<?> sendAcks(List<InFlightDelivery> batch) {
        List<InboundMessage> messages = new ArrayList<>(batch.size());
        for (InFlightDelivery d : batch) {
            messages.add(d.message);
        }
        CompletableFuture<Void> acked;
        try {
            acked = receiver.ack(messages);
        } catch (RuntimeException e) {
            acked = CompletableFuture.failedFuture(e);
        }
        if (!isDoneWithoutError(acked)) {
            acked.whenComplete((ok, e) -> {
                if (e != null) {
                    log.warn("{}/{}: ack of {} event(s) failed, the broker will redeliver them: {}", topic(), group(),
                            batch.size(), context.classify(e).getMessage());
                }
            });
        }
        return acked;
    }

    /** Already acked: most drivers only record an ack, so no callback needs allocating for it. */
    private static boolean isDoneWithoutError(CompletableFuture<?> future) {
        return future.isDone() && !future.isCompletedExceptionally();
    }

    private void nack(InFlightDelivery d, Duration delay) {
        if (!d.claimSettlement()) {
            return;
        }
        nackNow(d, delay);
        finish(d);
    }

    private void nackNow(InFlightDelivery d, Duration delay) {
        CompletableFuture<Void> nacked;
        try {
            nacked = receiver.nack(List.of(d.message), brokerDelays ? delay : Duration.ZERO);
        } catch (RuntimeException e) {
            nacked = CompletableFuture.failedFuture(e);
        }
        nacked.whenComplete((ok, e) -> {
            if (e != null) {
                log.warn("{}/{}: nack of event {} failed, the broker will redeliver it: {}", topic(), group(),
                        d.envelope().id(), context.classify(e).getMessage());
            }
        });
    }

    /** Writes the dead letter, then acks; if the write fails, the delivery goes back for redelivery. */
    private void deadLetter(InFlightDelivery d, String reason, Throwable error) {
        if (!d.claimSettlement()) {
            return;
        }
        OffsetDateTime now = UtcClock.now();
        OffsetDateTime first = d.firstFailure() != null ? d.firstFailure() : now;
        OffsetDateTime last = d.lastFailure() != null ? d.lastFailure() : now;
        var envelope = DeadLetterDiagnostics.attach(d.envelope(), reason, error, topic(), group(), d.attempt(), first, last);
        writeDeadLetter(d, CloudEventsBinding.outbound(envelope), reason, 1);
    }

    /**
     * Writes the dead letter, then acks. If the write fails the delivery goes back for redelivery with the
     * backoff, where the broker can hold it; elsewhere the write is tried again here after the backoff.
     */
    private void writeDeadLetter(InFlightDelivery d, dev.switchboard.spi.OutboundMessage deadLetter, String reason,
                                 int write) {
        CompletableFuture<Void> written;
        try {
            written = receiver.deadLetter(d.message, deadLetter);
        } catch (RuntimeException e) {
            written = CompletableFuture.failedFuture(e);
        }
        written.whenComplete((ok, e) -> {
            if (e == null) {
                counters.deadLettered.increment();
                failureHistory.forget(group(), d.envelope().id());
                log.info("{}/{}: event {} ({}) dead-lettered after {} attempt(s): {}", topic(), group(),
                        d.envelope().id(), d.envelope().type(), d.attempt(), reason);
                acks.add(d);
                finish(d);
                return;
            }
            Duration backoff = retryPolicy.backoff(Math.min(write, retryPolicy.maxAttempts()));
            log.warn("{}/{}: dead-letter write of event {} failed, trying again in {} ms: {}", topic(), group(),
                    d.envelope().id(), backoff.toMillis(), context.classify(e).getMessage());
            if (brokerDelays || closing.get()) {
                nackNow(d, backoff);
                finish(d);
                return;
            }
            try {
                context.scheduler().schedule(() -> writeDeadLetter(d, deadLetter, reason, write + 1),
                        backoff.toNanos(), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                nackNow(d, Duration.ZERO);
                finish(d);
            }
        });
    }

    private void finish(InFlightDelivery d) {
        inFlight.remove(d);
        window.release(1);
        if (d.laneKey != null) {
            lanes.finished(d.laneKey);
        }
        if (closing.get()) {
            synchronized (drainMonitor) {
                drainMonitor.notifyAll();
            }
        }
    }

    /**
     * Drains: stops receiving, gives back deliveries waiting for a local retry, waits for running handlers
     * until the timeout, gives back what is left, closes the receiver. From a handler thread the drain runs
     * in the background (waiting there would wait for itself).
     */
    public boolean close(Duration timeout) {
        if (!closing.compareAndSet(false, true)) {
            return awaitClosed(timeout) && drained;
        }
        if (workerThreads.contains(Thread.currentThread())) {
            Threads.named("switchboard-close", true).newThread(() -> drain(timeout)).start();
            return false;
        }
        return drain(timeout);
    }

    private boolean drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        pollers.forEach(Thread::interrupt);
        pollers.forEach(poller -> joinQuietly(poller, timeout));
        pauseQuietly();
        for (InFlightDelivery d : inFlight) {
            if (d.cancelPendingRetry()) {
                nack(d, Duration.ZERO);
            }
        }
        synchronized (drainMonitor) {
            long remaining;
            while (!inFlight.isEmpty() && (remaining = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(drainMonitor, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        drained = inFlight.isEmpty();
        inFlight.forEach(d -> nack(d, Duration.ZERO));
        workers.shutdownNow();
        receiver.close();
        onClosed.accept(this);
        closed.countDown();
        log.debug("{}/{}: closed, drained={}", topic(), group(), drained);
        return drained;
    }

    private void pauseQuietly() {
        try {
            receiver.pause();
        } catch (RuntimeException e) {
            log.debug("{}/{}: pausing the receiver failed: {}", topic(), group(), e.toString());
        }
    }

    private boolean awaitClosed(Duration timeout) {
        try {
            return closed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void joinQuietly(Thread thread, Duration timeout) {
        if (thread == Thread.currentThread()) {
            return;
        }
        try {
            thread.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
