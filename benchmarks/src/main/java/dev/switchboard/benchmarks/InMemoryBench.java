package dev.switchboard.benchmarks;

import dev.switchboard.inmemory.InMemoryBroker;
import dev.switchboard.inmemory.Journal;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The in-memory broker has no raw client: its "raw" column is a trivial hand-off of the same 1 KiB payloads
 * through a bounded {@link BlockingQueue} to one consumer thread, and the figure that counts is Switchboard's
 * events/s publish → handler → ack (target ≥ 1M/s). Both sides hold at most {@value #MAX_OUTSTANDING} events
 * between publish and handler; Switchboard consumes with concurrency 1 × prefetch 256, on a broker whose test
 * journal is off ({@link Journal#off()}), as a load test would configure it.
 */
final class InMemoryBench {
    static final int MAX_OUTSTANDING = 10_000;
    static final int PREFETCH = 256;

    private InMemoryBench() {
    }

    static Side[] sides(String run) {
        Map<String, String> properties = InMemoryBroker.create(Journal.off()).properties();
        properties.put("switchboard.service-name", "bench");
        return new Side[] {new HandOff(), new Switchboard(properties, run + "-sb", null),
                new Switchboard(properties, run + "-sbi", new Observability())};
    }

    static final class Switchboard extends SwitchboardSide {
        Switchboard(Map<String, String> properties, String topic, Observability observability) {
            super(properties, topic, "sb", 1, PREFETCH, MAX_OUTSTANDING, observability);
        }

        /**
         * Publish → handler → ack with the subscription running: events/s from the first publish to the n-th
         * handled event. The publishes complete at once (in memory), so the outstanding bound is released by
         * the handler.
         */
        double publishToAck(int n) throws Exception {
            return flow(this, n);
        }
    }

    /** The baseline: one producer thread, a bounded queue, one consumer thread. */
    static final class HandOff extends Side {
        private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(MAX_OUTSTANDING);

        @Override
        String name() {
            return "queue hand-off";
        }

        @Override
        int maxOutstanding() {
            return Integer.MAX_VALUE;
        }

        @Override
        void send(long seq, Runnable done) throws InterruptedException {
            queue.put(EventBytes.make(seq));
            done.run();
        }

        @Override
        Running consume(Sink sink) {
            AtomicBoolean running = new AtomicBoolean(true);
            Thread thread = new Thread(() -> {
                try {
                    while (running.get()) {
                        byte[] b = queue.poll(100, TimeUnit.MILLISECONDS);
                        if (b != null) {
                            sink.onEvent(EventBytes.seq(b), EventBytes.ts(b));
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "hand-off-consumer");
            thread.start();
            return () -> {
                running.set(false);
                thread.join();
            };
        }

        @Override
        public void close() {
        }
    }

    /**
     * Publishes n events while the side's consumer runs; events/s from the first publish to the n-th handled.
     * At most {@link #MAX_OUTSTANDING} events are between publish and handler.
     */
    static double flow(Side side, int n) throws Exception {
        java.util.concurrent.Semaphore room = new java.util.concurrent.Semaphore(MAX_OUTSTANDING);
        java.util.concurrent.CountDownLatch all = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();
        long[] end = {0};
        Side.Running running = side.consume((seq, at) -> {
            room.release();
            if (count.incrementAndGet() == n) {
                end[0] = System.nanoTime();
                all.countDown();
            }
        });
        try {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                room.acquire();
                side.send(i, () -> { });
            }
            Side.await(all, "handled events");
            return n / Side.seconds(end[0] - start);
        } finally {
            running.stop();
        }
    }
}
