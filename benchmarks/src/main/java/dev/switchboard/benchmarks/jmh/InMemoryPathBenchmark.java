package dev.switchboard.benchmarks.jmh;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Payload;
import dev.switchboard.Messaging;
import dev.switchboard.Publisher;
import dev.switchboard.Subscriber;
import dev.switchboard.Subscription;
import dev.switchboard.inmemory.InMemoryBroker;
import dev.switchboard.inmemory.Journal;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The in-memory broker's publish → handler → ack path: each invocation publishes {@value #BATCH} envelopes with
 * a 1 KiB payload and returns once all of them were handled and acknowledged (subscriber stats). Reported as
 * events per second (target ≥ 1M/s). The broker's test journal is off ({@link Journal#off()}). The payload is one
 * array that is never changed, so every envelope wraps it ({@code wrapData}) as a service wraps bytes it made.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class InMemoryPathBenchmark {
    static final int BATCH = 1000;
    private static final long WAIT_NANOS = 20_000;

    private Messaging messaging;
    private Publisher publisher;
    private Subscriber subscriber;
    private final AtomicLong handled = new AtomicLong();
    private byte[] payload;
    private long published;

    @Setup(Level.Trial)
    public void setUp() {
        messaging = InMemoryBroker.create(Journal.off()).connect(Map.of("switchboard.service-name", "bench"));
        subscriber = messaging.subscribe(Subscription.to("bench").group("jmh")
                .onEnvelope((envelope, context) -> handled.incrementAndGet())
                .concurrency(1).prefetch(256));
        publisher = messaging.publisher();
        payload = new byte[1024];
        Arrays.fill(payload, (byte) 'x');
        payload[0] = '"';
        payload[1023] = '"';
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long publishHandleAck() {
        for (int i = 0; i < BATCH; i++) {
            publisher.publish("bench", EventEnvelope.builder().type("dev.switchboard.bench.event")
                    .dataContentType("application/json").data(Payload.wrap(payload)).build());
        }
        published += BATCH;
        // park, not spin: on 2 cores a spinning benchmark thread takes a core from the poller and the handler;
        // the cheap handler count first, then the acks (stats() sums counters and is not for a tight loop)
        while (handled.get() < published) {
            LockSupport.parkNanos(WAIT_NANOS);
        }
        while (subscriber.stats().acknowledged() < published) {
            LockSupport.parkNanos(WAIT_NANOS);
        }
        return published;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        messaging.close(Duration.ofSeconds(10));
    }
}
