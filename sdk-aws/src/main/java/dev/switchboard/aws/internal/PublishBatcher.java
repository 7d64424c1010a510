package dev.switchboard.aws.internal;

import dev.switchboard.EventEnvelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Batches single publishes: events published one by one to a topic are collected for at most
 * {@code linger} (or until 10 are waiting) and sent as one SNS PublishBatch, so that a service calling
 * {@code publish} per event still pays one request per 10 events. Order within a topic is kept. Thread-safe.
 */
final class PublishBatcher {
    private record Pending(EventEnvelope envelope, CompletableFuture<String> result) {
    }

    private final Map<String, List<Pending>> waiting = new HashMap<>();
    private final BiFunction<String, List<EventEnvelope>, List<CompletableFuture<String>>> sendBatch;
    private final ScheduledExecutorService scheduler;
    private final long lingerNanos;

    PublishBatcher(BiFunction<String, List<EventEnvelope>, List<CompletableFuture<String>>> sendBatch,
                   ScheduledExecutorService scheduler, Duration linger) {
        this.sendBatch = sendBatch;
        this.scheduler = scheduler;
        this.lingerNanos = linger.toNanos();
    }

    CompletableFuture<String> add(String topic, EventEnvelope envelope) {
        Pending pending = new Pending(envelope, new CompletableFuture<>());
        List<Pending> full = null;
        synchronized (this) {
            List<Pending> batch = waiting.computeIfAbsent(topic, t -> new ArrayList<>(AckBatcher.MAX_BATCH));
            batch.add(pending);
            if (batch.size() == AckBatcher.MAX_BATCH) {
                full = waiting.remove(topic);
            } else if (batch.size() == 1) {
                scheduler.schedule(() -> flush(topic, batch), lingerNanos, TimeUnit.NANOSECONDS);
            }
        }
        if (full != null) {
            send(topic, full);
        }
        return pending.result();
    }

    /** Sends {@code batch} if it is still the one waiting for {@code topic} (it may have filled up and gone). */
    private void flush(String topic, List<Pending> batch) {
        synchronized (this) {
            if (waiting.get(topic) != batch) {
                return;
            }
            waiting.remove(topic);
        }
        send(topic, batch);
    }

    private void send(String topic, List<Pending> batch) {
        List<CompletableFuture<String>> sent;
        try {
            sent = sendBatch.apply(topic, batch.stream().map(Pending::envelope).toList());
        } catch (RuntimeException e) {
            batch.forEach(p -> p.result().completeExceptionally(e));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            CompletableFuture<String> result = batch.get(i).result();
            sent.get(i).whenComplete((reference, error) -> {
                if (error == null) {
                    result.complete(reference);
                } else {
                    result.completeExceptionally(error);
                }
            });
        }
    }
}
