package dev.switchboard.kafka.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Keeps the producer's {@code send} off the publisher's thread until the producer knows the topic: for a topic
 * it has no metadata for, Kafka's {@code send} blocks up to {@code max.block.ms} (the connect timeout) while the
 * broker is unreachable, and {@code publish()} must return at once. Sends to such a topic run on one thread of
 * the driver's, in the order they were made; once one of them was accepted (the metadata is there) and none
 * waits any longer, sends to the topic run on the caller's thread again. The producer keeps a topic's
 * metadata while it publishes to it (and a day idle, see {@code KafkaClients}). Thread-safe.
 */
final class FirstSends {
    private final ExecutorService thread;
    private final Map<String, Topic> topics = new ConcurrentHashMap<>();

    /** @param thread a single thread: what waits there goes out in order */
    FirstSends(ExecutorService thread) {
        this.thread = thread;
    }

    /**
     * Runs {@code send} here if the producer knows {@code topic} and no earlier send to it waits, else on the
     * driver's thread after them. {@code send} returns whether the producer accepted the record, and completes
     * the record's future itself either way; {@code rejected} fails it if the driver is closing.
     */
    void send(String topic, BooleanSupplier send, Runnable rejected) {
        Topic state = topics.computeIfAbsent(topic, t -> new Topic());
        if (state.known && state.waiting.get() == 0) {
            send.getAsBoolean();
            return;
        }
        state.waiting.incrementAndGet();
        try {
            thread.execute(() -> {
                try {
                    if (send.getAsBoolean()) {
                        state.known = true; // before the count drops: a caller that sees 0 finds it known
                    }
                } finally {
                    state.waiting.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException closing) {
            state.waiting.decrementAndGet();
            rejected.run();
        }
    }

    /** Lets what waits go out (each bounded by {@code max.block.ms}), then stops the thread. */
    void close(long waitMillis) {
        thread.shutdown();
        try {
            thread.awaitTermination(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.shutdownNow();
    }

    private static final class Topic {
        volatile boolean known;
        final AtomicInteger waiting = new AtomicInteger();
    }
}
