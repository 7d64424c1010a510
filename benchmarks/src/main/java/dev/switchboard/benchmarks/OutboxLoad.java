package dev.switchboard.benchmarks;

import dev.switchboard.BatchPublishResult;
import dev.switchboard.EventEnvelope;
import dev.switchboard.Publisher;
import dev.switchboard.jdbc.Outbox;
import dev.switchboard.jdbc.OutboxRelay;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

/**
 * Throughput of one unit of work, {@code batch} events: W writer threads take the next {@code batch} sequence
 * numbers until {@code n} are taken and either commit them in one transaction through the outbox, or publish them
 * with the publisher and wait for the broker's confirmation (the same work without an outbox: a service publishing
 * in its request). The events are {@link KeyedEvents}.
 */
final class OutboxLoad {
    /** Unconfirmed publishes of the pipelined reference side, as in the harness's Kafka runs. */
    static final int MAX_OUTSTANDING = KafkaBench.MAX_OUTSTANDING;

    /**
     * One measurement: events/s over {@code seconds}; for the outbox also the writers' own rate (to their last
     * commit) and the rows still in the outbox when the last writer committed (the relay's lag); without an outbox
     * those two are the rate itself and 0.
     */
    record Result(double eventsPerSecond, double seconds, double commitsPerSecond, long pendingAtLastCommit) {
    }

    private final Publisher publisher;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final DataSource dataSource;
    private final int writers;
    private final KeyedEvents events;

    OutboxLoad(Publisher publisher, Outbox outbox, OutboxRelay relay, DataSource dataSource, int writers, KeyedEvents events) {
        this.publisher = publisher;
        this.outbox = outbox;
        this.relay = relay;
        this.dataSource = dataSource;
        this.writers = writers;
        this.events = events;
    }

    /**
     * Through the outbox: events/s from the start of the first transaction until the relay counts {@code n} more
     * rows confirmed by the broker (and deleted: {@link OutboxRelay.Stats#relayed()}).
     */
    Result outbox(String topic, int n, int batch) throws Exception {
        long before = relay.stats().relayed();
        long start = System.nanoTime();
        runWriters(n, batch, () -> {
            Connection connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            return new Unit() {
                @Override
                public void write(List<EventEnvelope> unitEvents) throws Exception {
                    if (unitEvents.size() == 1) {
                        outbox.publish(connection, topic, unitEvents.get(0));
                    } else {
                        outbox.publishAll(connection, topic, unitEvents);
                    }
                    connection.commit();
                }

                @Override
                public void close() throws Exception {
                    connection.close();
                }
            };
        });
        long committed = System.nanoTime();
        long pending = n - (relay.stats().relayed() - before);
        long deadline = committed + TimeUnit.MINUTES.toNanos(10);
        while (relay.stats().relayed() - before < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the relay confirmed " + (relay.stats().relayed() - before) + " of "
                        + n + " rows in 10 min: " + relay.stats());
            }
            Thread.sleep(1);
        }
        long end = System.nanoTime();
        OutboxRelay.Stats stats = relay.stats();
        if (stats.parked() > 0 || relay.pending() > 0) {
            throw new IllegalStateException("after the run: " + stats + ", " + relay.pending() + " rows left");
        }
        return new Result(n / Side.seconds(end - start), Side.seconds(end - start), n / Side.seconds(committed - start),
                pending);
    }

    /** Direct: each unit published and its confirmation awaited; events/s from the first publish to the last confirmation. */
    Result direct(String topic, int n, int batch) throws Exception {
        long start = System.nanoTime();
        runWriters(n, batch, () -> unitEvents -> {
            if (unitEvents.size() == 1) {
                publisher.publish(topic, unitEvents.get(0)).toCompletableFuture().join();
            } else {
                BatchPublishResult result = publisher.publishAll(topic, unitEvents).toCompletableFuture().join();
                if (!result.allSucceeded()) {
                    throw new IllegalStateException("publishAll: " + result.failures());
                }
            }
        });
        double seconds = Side.seconds(System.nanoTime() - start);
        return new Result(n / seconds, seconds, n / seconds, 0);
    }

    /**
     * The broker's ceiling for this publisher: one thread, {@code publish()} per event without waiting, at most
     * {@value #MAX_OUTSTANDING} unconfirmed; events/s from the first publish to the last confirmation.
     */
    Result pipelined(String topic, int n) throws Exception {
        Semaphore permits = new Semaphore(MAX_OUTSTANDING);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long start = System.nanoTime();
        for (int seq = 0; seq < n; seq++) {
            permits.acquire();
            publisher.publish(topic, events.envelope(seq)).whenComplete((result, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                }
                permits.release();
            });
        }
        if (!permits.tryAcquire(MAX_OUTSTANDING, 10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("pipelined publish: confirmations missing after 10 min");
        }
        double seconds = Side.seconds(System.nanoTime() - start);
        if (failure.get() != null) {
            throw new IllegalStateException("pipelined publish failed", failure.get());
        }
        return new Result(n / seconds, seconds, n / seconds, 0);
    }

    /** What one writer thread does with each unit of work. */
    private interface Unit extends AutoCloseable {
        void write(List<EventEnvelope> unitEvents) throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    private interface UnitFactory {
        Unit open() throws Exception;
    }

    private void runWriters(int n, int batch, UnitFactory factory) throws Exception {
        AtomicLong next = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            Thread thread = new Thread(() -> {
                try (Unit unit = factory.open()) {
                    long first;
                    while (failure.get() == null && (first = next.getAndAdd(batch)) < n) {
                        List<EventEnvelope> unitEvents = new ArrayList<>(batch);
                        for (long seq = first; seq < Math.min(n, first + batch); seq++) {
                            unitEvents.add(events.envelope(seq));
                        }
                        unit.write(unitEvents);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "bench-writer-" + w);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a writer failed: " + failure.get(), failure.get());
        }
    }
}
