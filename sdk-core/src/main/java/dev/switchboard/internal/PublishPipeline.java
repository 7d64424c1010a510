package dev.switchboard.internal;

import dev.switchboard.BatchPublishResult;
import dev.switchboard.ErrorCode;
import dev.switchboard.EventEnvelope;
import dev.switchboard.MessagingException;
import dev.switchboard.PublishResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The portable publish path: payload to envelope (codec, type, defaults), validation, batching to the
 * driver's limit, classification of failures and the publish deadline. Stateless beyond its context;
 * thread-safe.
 */
public final class PublishPipeline {
    private final RuntimeContext context;

    public PublishPipeline(RuntimeContext context) {
        this.context = context;
    }

    public CompletionStage<PublishResult> publish(String topic, Object event) {
        EventEnvelope envelope;
        try {
            context.ensureOpen();
            envelope = prepare(event);
        } catch (MessagingException e) {
            return CompletableFuture.failedFuture(e);
        }
        return send(topic, List.of(envelope)).get(0);
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
        int batchSize = Math.max(1, context.driver().publisher().maxBatchSize());
        for (int from = 0; from < valid.size(); from += batchSize) {
            List<EventEnvelope> batch = valid.subList(from, Math.min(valid.size(), from + batchSize));
            List<CompletableFuture<PublishResult>> sent = send(topic, batch);
            for (int j = 0; j < batch.size(); j++) {
                int index = validIndexes.get(from + j);
                String id = batch.get(j).id();
                entries.set(index, sent.get(j).handle((result, error) -> error == null
                        ? new BatchPublishResult.Entry(index, id, Optional.of(result), Optional.empty())
                        : failed(index, id, context.classify(error))));
            }
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
        if (payload instanceof byte[] || payload instanceof CharSequence) {
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
                .wrapData(data);
    }

    /** The envelope to send: payloads encoded, then the publisher's defaults for source and time. */
    EventEnvelope prepare(Object event) {
        if (event == null) {
            throw new MessagingException(ErrorCode.INVALID_ARGUMENT, "cannot publish null");
        }
        EventEnvelope envelope = event instanceof EventEnvelope e ? e : build(envelopeFor(event));
        checkSize(envelope);
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

    private void checkSize(EventEnvelope envelope) {
        int limit = context.driver().publisher().maxMessageBytes();
        if (envelope.dataLength() > limit) {
            throw oversize(envelope, envelope.dataLength(), limit);
        }
        long size = EnvelopeSize.estimate(envelope);
        if (size > limit) {
            throw oversize(envelope, size, limit);
        }
    }

    private static MessagingException oversize(EventEnvelope envelope, long size, int limit) {
        return new MessagingException(ErrorCode.INVALID_ARGUMENT, "event " + envelope.id() + " (" + envelope.type()
                + ") is " + size + " bytes with its attributes; the broker accepts at most " + limit + " bytes");
    }

    /** Sends envelopes the driver accepts in one call; one future per envelope, each with the deadline. */
    List<CompletableFuture<PublishResult>> send(String topic, List<EventEnvelope> batch) {
        List<CompletableFuture<String>> sent;
        try {
            context.ensureTopic(topic);
            sent = context.driver().publisher().send(topic, batch);
        } catch (RuntimeException e) {
            MessagingException classified = context.classify(e);
            return batch.stream().map(x -> CompletableFuture.<PublishResult>failedFuture(classified)).toList();
        }
        if (sent.size() != batch.size()) {
            throw new IllegalStateException("driver returned " + sent.size() + " results for " + batch.size() + " envelopes");
        }
        List<CompletableFuture<PublishResult>> results = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            String id = batch.get(i).id();
            CompletableFuture<PublishResult> result = new CompletableFuture<>();
            CompletableFuture<String> confirmation = sent.get(i);
            context.trackPublishDeadline(confirmation);
            confirmation.whenComplete((reference, error) -> {
                if (error == null) {
                    result.complete(new PublishResult(id, topic, reference));
                } else {
                    result.completeExceptionally(context.classify(error));
                }
            });
            results.add(result);
        }
        return results;
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
}
