package dev.switchboard.benchmarks;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.Publisher;
import dev.switchboard.Subscriber;
import dev.switchboard.Subscription;
import dev.switchboard.jdbc.Outbox;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * End-to-end latency of single events on an idle system: one event at a time, {@code spacing} apart, either
 * committed alone through the outbox or published directly (not awaited); a Switchboard consumer on the topic (its
 * own group, concurrency 1) notes when each arrives. Times are {@link EventBytes#now()} in this one JVM.
 */
final class OutboxLatency implements AutoCloseable {
    /** Sequence numbers of warm-up events (not measured) start here. */
    private static final long WARMUP_SEQ = Side.WARMUP_SEQ;

    /**
     * One pass, in ns per event: {@code fromCall} = consumed − the payload's stamp, taken just before the call
     * (outbox: before the insert, so the transaction's own time is included; direct: before {@code publish()});
     * {@code fromReturn} = consumed − the call's return (outbox: the commit returned).
     */
    record Pass(long[] fromCall, long[] fromReturn) {
    }

    private final String topic;
    private final Subscriber subscriber;
    private final AtomicLong warmed = new AtomicLong();
    private volatile long[] received = new long[0];
    private volatile long[] stamped = new long[0];
    private final AtomicLong measured = new AtomicLong();

    /** Subscribes to {@code topic} in {@code group}; every pass's events go to it. */
    OutboxLatency(Messaging messaging, String topic, String group) {
        this.topic = topic;
        this.subscriber = messaging.subscribe(Subscription.to(topic).group(group).concurrency(1).prefetch(500)
                .onEnvelope((envelope, context) -> arrived(envelope.dataBuffer())));
    }

    private void arrived(ByteBuffer data) {
        long now = EventBytes.now();
        long seq = EventBytes.seq(data);
        if (seq >= WARMUP_SEQ) {
            warmed.incrementAndGet();
        } else if (seq < received.length && received[(int) seq] == 0) {
            stamped[(int) seq] = EventBytes.ts(data);
            received[(int) seq] = now;
            measured.incrementAndGet();
        }
    }

    /** Through the outbox: each event committed alone, on one connection, with auto-commit off. */
    Pass outbox(Outbox outbox, DataSource dataSource, KeyedEvents events, int warmup, int n, Duration spacing) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            return pass(events, warmup, n, spacing, event -> {
                outbox.publish(connection, topic, event);
                connection.commit();
            });
        }
    }

    /** Direct: {@code publish()} per event; its confirmation is not waited for. */
    Pass direct(Publisher publisher, KeyedEvents events, int warmup, int n, Duration spacing) throws Exception {
        return pass(events, warmup, n, spacing, event -> publisher.publish(topic, event));
    }

    private interface Send {
        void send(EventEnvelope event) throws Exception;
    }

    private Pass pass(KeyedEvents events, int warmup, int n, Duration spacing, Send send) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        long warmedBefore = warmed.get();
        for (int i = 0; i < warmup; i++) {
            send.send(events.envelope(WARMUP_SEQ + i));
            LockSupport.parkNanos(spacing.toNanos());
        }
        while (warmed.get() - warmedBefore < warmup) {
            check(deadline, "warm-up", warmed.get() - warmedBefore, warmup);
            Thread.sleep(5);
        }
        long[] returnedAt = new long[n];
        measured.set(0);
        stamped = new long[n];
        received = new long[n];
        long interval = spacing.toNanos();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long wait = start + i * interval - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            EventEnvelope event = events.envelope(i);
            send.send(event);
            returnedAt[i] = EventBytes.now();
        }
        while (measured.get() < n) {
            check(deadline, "events", measured.get(), n);
            Thread.sleep(2);
        }
        long[] fromCall = new long[n];
        long[] fromReturn = new long[n];
        for (int i = 0; i < n; i++) {
            fromCall[i] = received[i] - stamped[i];
            fromReturn[i] = received[i] - returnedAt[i];
        }
        return new Pass(fromCall, fromReturn);
    }

    private static void check(long deadline, String what, long have, long want) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("latency: received " + have + " of " + want + " " + what + " in 5 min");
        }
    }

    @Override
    public void close() {
        subscriber.close(Duration.ofSeconds(30));
    }
}
