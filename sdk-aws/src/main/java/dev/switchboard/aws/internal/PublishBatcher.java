package dev.switchboard.aws.internal;

import dev.switchboard.EventEnvelope;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiFunction;

/**
 * Batches single publishes: events published one by one to a topic are collected for at most
 * {@code linger} (or until 10 are waiting) and sent as one SNS PublishBatch, so that a service calling
 * {@code publish} per event still pays one request per 10 events ({@link BatchWindow} per topic). Thread-safe.
 */
final class PublishBatcher {
    private record Pending(EventEnvelope envelope, CompletableFuture<String> result) {
    }

    private final Map<String, BatchWindow<Pending>> windows = new ConcurrentHashMap<>();
    private final BiFunction<String, List<EventEnvelope>, List<CompletableFuture<String>>> sendBatch;
    private final ScheduledExecutorService scheduler;
    private final Duration linger;

    PublishBatcher(BiFunction<String, List<EventEnvelope>, List<CompletableFuture<String>>> sendBatch,
                   ScheduledExecutorService scheduler, Duration linger) {
        this.sendBatch = sendBatch;
        this.scheduler = scheduler;
        this.linger = linger;
    }

    CompletableFuture<String> add(String topic, EventEnvelope envelope) {
        Pending pending = new Pending(envelope, new CompletableFuture<>());
        windows.computeIfAbsent(topic, t -> new BatchWindow<>(batch -> send(t, batch), scheduler, linger)).add(pending);
        return pending.result();
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
