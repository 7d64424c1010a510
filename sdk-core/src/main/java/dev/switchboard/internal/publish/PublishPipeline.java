package dev.switchboard.internal.publish;

import dev.switchboard.internal.Batcher;
import dev.switchboard.internal.Observers;
import dev.switchboard.internal.RuntimeContext;
import dev.switchboard.internal.UtcClock;

import dev.switchboard.BatchPublishResult;
import dev.switchboard.ErrorCode;
import dev.switchboard.EventEnvelope;
import dev.switchboard.MessagingException;
import dev.switchboard.Payload;
import dev.switchboard.PublishResult;
import dev.switchboard.instrumentation.PublishObservation;
import dev.switchboard.internal.binding.CloudEventsBinding;
import dev.switchboard.spi.OutboundMessage;
import dev.switchboard.spi.PublisherDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The portable publish path: payload to envelope (codec, type, defaults), validation and size check, the
 * CloudEvents binding, batching under the driver's limits (one {@link Batcher} per topic), classification of
 * failures, the publish deadline, and retries of retryable failures within it.
 *
 * <p>Retries: an entry that fails with a retryable error ({@code UNAVAILABLE}, …) is sent again after a backoff
 * (100 ms doubling to 2 s) while the publish deadline allows, so a broker restart or a leader election does not
 * fail publishes that would succeed a second later. A retried entry may reach the broker twice (the first
 * attempt's fate was unknown): delivery is at-least-once anyway, and the event keeps its id, so consumers that
 * deduplicate see one event. Thread-safe.
 */
public final class PublishPipeline {
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration MAX_RETRY = Duration.ofSeconds(2);

    private final RuntimeContext context;
    private final PublisherDriver driver;
    private final Map<String, Batcher<Pending>> batchers = new ConcurrentHashMap<>();
    /** Topics being provisioned, with the publishes that wait for them. */
    private final Map<String, ProvisioningGate<Pending>> gates = new ConcurrentHashMap<>();
    private final PublishDeadlines deadlines;
    private final Observers observers;
    /**
     * The first topic provisioned by {@link #sendOne}, with its batcher: publishes to it pay no provisioning and
     * batcher look-ups (topics are provisioned once per instance anyway, and a topic's batcher never changes).
     * Set once and never replaced, so that threads publishing to other topics take the look-ups as before instead
     * of writing a shared field per event.
     */
    private volatile Route route;

    public PublishPipeline(RuntimeContext context) {
        this.context = context;
        this.driver = context.driver().publisher();
        this.deadlines = context.publishDeadlines();
        this.observers = context.observers();
    }

    public CompletionStage<PublishResult> publish(String topic, Object event) {
        EventEnvelope envelope;
        try {
            context.ensureOpen();
            envelope = prepare(event);
        } catch (MessagingException e) {
            return CompletableFuture.failedFuture(e);
        }
        return sendOne(topic, envelope);
    }

    /** {@link #send} of one envelope, without the lists: the path of every {@code publish()}. */
    CompletableFuture<PublishResult> sendOne(String topic, EventEnvelope envelope) {
        CompletableFuture<PublishResult> result = new CompletableFuture<>();
        EventEnvelope toSend = observers.enabled() ? observed(topic, envelope, result) : envelope;
        Route known = route;
        if (known != null && known.topic.equals(topic)) {
            Pending pending = pending(topic, toSend, result);
            if (pending != null) {
                known.batcher.add(pending);
                deadlines.track(result, pending.deadlineNanos);
            }
            return result;
        }
        Pending pending = pending(topic, toSend, result);
        if (pending != null) {
            Batcher<Pending> batcher = whenProvisioned(topic, List.of(pending));
            if (batcher != null && known == null) {
                route = new Route(topic, batcher);
            }
        }
        return result;
    }

    /**
     * Hands {@code pending} to the topic's batcher, in order, now if the topic is provisioned (then returns the
     * batcher), else once it is (then returns null: they wait in the topic's {@link ProvisioningGate}, and fail
     * with the provisioning's failure). Either way each entry's deadline runs from now.
     */
    private Batcher<Pending> whenProvisioned(String topic, List<Pending> pending) {
        while (true) {
            CompletableFuture<Void> ready = context.topicReady(topic);
            if (ready.isCompletedExceptionally()) {
                MessagingException classified = context.classify(ready.handle((ok, failure) -> failure).join());
                pending.forEach(p -> p.result.completeExceptionally(classified));
                return null;
            }
            if (ready.isDone() && !gates.containsKey(topic)) {
                Batcher<Pending> batcher = batcher(topic);
                if (pending.size() == 1) {
                    batcher.add(pending.get(0));
                } else {
                    batcher.addAll(pending);
                }
                // after the hand-over: what the broker confirmed at once needs no deadline
                pending.forEach(p -> deadlines.track(p.result, p.deadlineNanos));
                return batcher;
            }
            ProvisioningGate<Pending> gate = gates.get(topic);
            if (gate == null) {
                ProvisioningGate<Pending> fresh = new ProvisioningGate<>();
                gate = gates.putIfAbsent(topic, fresh);
                if (gate == null) {
                    gate = fresh;
                    ready.whenComplete((ok, failure) -> provisioned(topic, fresh, failure));
                }
            }
            if (gate.offer(pending)) {
                pending.forEach(p -> deadlines.track(p.result, p.deadlineNanos));
                return null;
            }
        }
    }

    /** Releases the publishes that waited for {@code topic}, or fails them; a publish past its deadline stays unsent. */
    private void provisioned(String topic, ProvisioningGate<Pending> gate, Throwable failure) {
        if (failure == null) {
            Batcher<Pending> batcher = batcher(topic);
            gate.open(pending -> {
                List<Pending> unsent = pending.stream().filter(p -> !p.result.isDone()).toList();
                if (!unsent.isEmpty()) {
                    batcher.addAll(unsent);
                }
            });
        } else {
            MessagingException classified = context.classify(failure);
            gate.fail().forEach(p -> p.result.completeExceptionally(classified));
        }
        gates.remove(topic, gate);
    }

    /** A provisioned topic and its batcher. */
    private record Route(String topic, Batcher<Pending> batcher) {
    }

    public CompletionStage<BatchPublishResult> publishAll(String topic, List<?> events) {
        context.ensureOpen();
        List<CompletableFuture<BatchPublishResult.Entry>> entries = new ArrayList<>(events.size());
        List<EventEnvelope> valid = new ArrayList<>(events.size());
        List<Integer> validIndexes = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            try {
                valid.add(prepare(events.get(i)));
                validIndexes.add(i);
                entries.add(null);
            } catch (MessagingException e) {
                entries.add(CompletableFuture.completedFuture(failed(i, "", e)));
            }
        }
        List<CompletableFuture<PublishResult>> sent = send(topic, valid);
        for (int j = 0; j < valid.size(); j++) {
            int index = validIndexes.get(j);
            String id = valid.get(j).id();
            entries.set(index, sent.get(j).handle((result, error) -> error == null
                    ? new BatchPublishResult.Entry(index, id, Optional.of(result), Optional.empty())
                    : failed(index, id, context.classify(error))));
        }
        return CompletableFuture.allOf(entries.toArray(CompletableFuture[]::new))
                .thenApply(done -> new BatchPublishResult(entries.stream().map(CompletableFuture::join).toList()));
    }

    /** Waits for a publish within the publish timeout (plus a margin for the stage's own deadline). */
    public PublishResult await(CompletionStage<PublishResult> stage) {
        try {
            return stage.toCompletableFuture().get(context.settings().publishTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessagingException(ErrorCode.CANCELLED, "interrupted while waiting for a publish", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw context.classify(e);
        }
    }

    /** A builder for {@code payload} with type, data and content type set from the registry and codec. */
    public EventEnvelope.Builder envelopeFor(Object payload) {
        Class<?> type = payload.getClass();
        if (payload instanceof byte[] || payload instanceof CharSequence || payload instanceof Payload) {
            throw new MessagingException(ErrorCode.INVALID_ARGUMENT, "a raw " + type.getSimpleName()
                    + " payload has no event type: publish EventEnvelope.builder().type(...).data(...) instead");
        }
        byte[] data;
        try {
            data = context.codec().encode(payload);
        } catch (Exception | StackOverflowError e) {
            throw new MessagingException(ErrorCode.INVALID_ARGUMENT, "cannot encode " + type.getName() + " with "
                    + context.codec().contentType() + ": " + e.getMessage(), e);
        }
        return EventEnvelope.builder()
                .source(context.settings().source())
                .time(UtcClock.now())
                .type(context.types().typeOf(type))
                .dataContentType(context.codec().contentType())
                .data(Payload.wrap(data));
    }

    /** The envelope to send: payloads encoded, then the publisher's defaults for source and time. */
    EventEnvelope prepare(Object event) {
        if (event == null) {
            throw new MessagingException(ErrorCode.INVALID_ARGUMENT, "cannot publish null");
        }
        EventEnvelope envelope = event instanceof EventEnvelope e ? e : build(envelopeFor(event));
        if (envelope.source() != null && envelope.time() != null) {
            return envelope;
        }
        EventEnvelope.Builder b = envelope.toBuilder();
        if (envelope.source() == null) {
            b.source(context.settings().source());
        }
        if (envelope.time() == null) {
            b.time(UtcClock.now());
        }
        return b.build();
    }

    /**
     * The envelope to publish later (see {@code Publisher.prepare}): prepared as for sending now, with the caller's
     * current trace context added where the event carries none.
     */
    public EventEnvelope prepareForLater(Object event) {
        EventEnvelope envelope = prepare(event);
        if (!observers.enabled() || envelope.traceParent().isPresent()) {
            return envelope;
        }
        Map<String, String> context = observers.currentContext();
        return context.isEmpty() ? envelope : envelope.toBuilder().extensions(context).build();
    }

    /**
     * Sends prepared envelopes, in order, through the topic's batcher; one future per envelope, each bounded by
     * the publish deadline. An oversize envelope fails alone with {@code INVALID_ARGUMENT}.
     */
    public List<CompletableFuture<PublishResult>> send(String topic, List<EventEnvelope> envelopes) {
        List<CompletableFuture<PublishResult>> results = new ArrayList<>(envelopes.size());
        for (int i = 0; i < envelopes.size(); i++) {
            results.add(new CompletableFuture<>());
        }
        List<EventEnvelope> toSend = observers.enabled() ? observed(topic, envelopes, results) : envelopes;
        List<Pending> pending = new ArrayList<>(envelopes.size());
        for (int i = 0; i < toSend.size(); i++) {
            Pending p = pending(topic, toSend.get(i), results.get(i));
            if (p != null) {
                pending.add(p);
            }
        }
        if (!pending.isEmpty()) {
            whenProvisioned(topic, pending);
        }
        return results;
    }

    /** The entry to hand to the batcher, or null if the envelope is too large (then its result has failed). */
    private Pending pending(String topic, EventEnvelope envelope, CompletableFuture<PublishResult> result) {
        OutboundMessage message = CloudEventsBinding.outbound(envelope);
        long size = message.estimatedSize();
        if (size > driver.maxMessageBytes()) {
            result.completeExceptionally(new MessagingException(ErrorCode.INVALID_ARGUMENT, "event " + envelope.id()
                    + " (" + envelope.type() + ") is " + size + " bytes with its attributes; " + context.brokerName()
                    + " accepts at most " + driver.maxMessageBytes() + " bytes"));
            return null;
        }
        return new Pending(topic, message, result, deadlines.deadlineFromNow());
    }

    /**
     * Tells the observers of each publish, on the caller's thread, and of its end once its result completes; the
     * envelopes to send carry the extensions the observers set (such as {@code traceparent}).
     */
    private List<EventEnvelope> observed(String topic, List<EventEnvelope> envelopes,
                                         List<CompletableFuture<PublishResult>> results) {
        List<EventEnvelope> toSend = new ArrayList<>(envelopes.size());
        for (int i = 0; i < envelopes.size(); i++) {
            toSend.add(observed(topic, envelopes.get(i), results.get(i)));
        }
        return toSend;
    }

    /** {@link #observed(String, List, List)} of one envelope: the envelope to send. */
    private EventEnvelope observed(String topic, EventEnvelope envelope, CompletableFuture<PublishResult> published) {
        OutgoingEvent event = new OutgoingEvent(context.brokerName(), topic, envelope);
        PublishObservation observation = observers.publishStarted(event);
        if (observation != PublishObservation.NONE) {
            published.whenComplete((result, error) -> {
                if (error == null) {
                    Observers.published(observation, result);
                } else {
                    Observers.failed(observation, context.classify(error));
                }
            });
        }
        return event.toSend();
    }

    private Batcher<Pending> batcher(String topic) {
        Batcher<Pending> batcher = batchers.get(topic);
        return batcher != null ? batcher
                : batchers.computeIfAbsent(topic, t -> new Batcher<>(driver.batching(), batch -> call(t, batch)));
    }

    /** One driver call; completes when every entry of it has its answer. */
    private CompletableFuture<?> call(String topic, List<Pending> batch) {
        List<OutboundMessage> messages;
        if (batch.size() == 1) {
            messages = List.of(batch.get(0).message);
        } else {
            messages = new ArrayList<>(batch.size());
            for (Pending p : batch) {
                messages.add(p.message);
            }
        }
        List<CompletableFuture<String>> sent;
        try {
            sent = driver.send(topic, messages);
            if (sent.size() != batch.size()) {
                throw new IllegalStateException("driver returned " + sent.size() + " results for " + batch.size() + " messages");
            }
        } catch (RuntimeException e) {
            batch.forEach(p -> failed(p, e));
            return CompletableFuture.completedFuture(null);
        }
        if (sent.size() == 1) {
            return settle(batch.get(0), sent.get(0));
        }
        CompletableFuture<?>[] settled = new CompletableFuture<?>[sent.size()];
        for (int i = 0; i < settled.length; i++) {
            settled[i] = settle(batch.get(i), sent.get(i));
        }
        return CompletableFuture.allOf(settled);
    }

    private CompletableFuture<?> settle(Pending p, CompletableFuture<String> confirmation) {
        if (confirmation.isDone() && !confirmation.isCompletedExceptionally()) {
            // confirmed at once (the in-memory broker, mostly): no dependent future and callback per entry
            p.result.complete(new PublishResult(p.message.id(), p.topic, confirmation.join()));
            return confirmation;
        }
        return confirmation.whenComplete((reference, error) -> {
            if (error == null) {
                p.result.complete(new PublishResult(p.message.id(), p.topic, reference));
            } else {
                failed(p, error);
            }
        });
    }

    /** Retries a retryable failure after a backoff if the deadline leaves room for it; else fails the entry. */
    private void failed(Pending p, Throwable error) {
        MessagingException classified = context.classify(error);
        if (p.result.isDone()) {
            return;
        }
        Duration backoff = p.nextBackoff();
        if (classified.isRetryable() && System.nanoTime() + backoff.toNanos() - p.deadlineNanos < 0) {
            try {
                context.scheduler().schedule(() -> context.driverCalls().execute(() -> {
                    if (!p.result.isDone()) {
                        batcher(p.topic).add(p);
                    }
                }), backoff.toNanos(), TimeUnit.NANOSECONDS);
                return;
            } catch (RejectedExecutionException closing) {
                // the connection is closing: report the failure as it is
            }
        }
        p.result.completeExceptionally(classified);
    }

    private static EventEnvelope build(EventEnvelope.Builder builder) {
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new MessagingException(ErrorCode.INVALID_ARGUMENT, e.getMessage(), e);
        }
    }

    private static BatchPublishResult.Entry failed(int index, String id, MessagingException error) {
        return new BatchPublishResult.Entry(index, id, Optional.empty(), Optional.of(error));
    }

    /** One entry on its way: its message, its caller's result, its deadline and its retries so far. */
    private static final class Pending {
        final String topic;
        final OutboundMessage message;
        final CompletableFuture<PublishResult> result;
        final long deadlineNanos;
        private Duration backoff = FIRST_RETRY;

        Pending(String topic, OutboundMessage message, CompletableFuture<PublishResult> result, long deadlineNanos) {
            this.topic = topic;
            this.message = message;
            this.result = result;
            this.deadlineNanos = deadlineNanos;
        }

        Duration nextBackoff() {
            Duration current = backoff;
            Duration doubled = backoff.multipliedBy(2);
            backoff = doubled.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : doubled;
            return current;
        }
    }
}
