package dev.switchboard.inmemory;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.inmemory.internal.InMemoryEngine;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A message broker in this JVM, with the delivery semantics of the real ones: fan-out across groups,
 * competing members within a group, redelivery on nack after a delay, attempt counting, per-key ordering,
 * dead letters through the same portable code as every broker, at-least-once. Select it with
 * {@code switchboard.broker=in-memory}; it passes the same conformance suite as Kafka, RabbitMQ and SNS/SQS.
 *
 * <pre>{@code
 * InMemoryBroker broker = InMemoryBroker.create();
 * try (Messaging messaging = broker.connect()) {
 *     messaging.subscribe(Subscription.to("orders").group("billing").on(OrderPlaced.class, billing::handle));
 *     messaging.publisher().publish("orders", new OrderPlaced("o-1", 100));
 *     broker.consumed().inGroup("billing").await(OrderPlaced.class, o -> o.id().equals("o-1"));
 * }
 * }</pre>
 *
 * <p>Brokers are found by name ({@code switchboard.in-memory.instance}, default {@code default}); two
 * {@code Messaging} instances with the same name share one broker, like two services on one cluster. A topic
 * keeps events only for groups that exist when they are published: subscribe or
 * {@link Messaging#provision provision} first. {@link #stop()} and {@link #start()} simulate an outage: while
 * stopped every operation fails with {@code UNAVAILABLE}; what was in flight is redelivered after. Every
 * publish, acknowledged delivery and dead letter is recorded for assertions. {@link #close()} takes the broker out
 * of this JVM's registry (nothing of it stays behind), after which it fails every operation. Thread-safe.
 *
 * @since 0.1
 */
public final class InMemoryBroker implements AutoCloseable {
    /** The name used when {@code switchboard.in-memory.instance} is not set. */
    public static final String DEFAULT_NAME = "default";

    private static final Map<String, InMemoryBroker> INSTANCES = new ConcurrentHashMap<>();

    private final String name;
    private final Journal journal;
    private final Recorder recorder;
    private final InMemoryEngine engine;
    private final RecordingInstrumentation outcomes;

    private InMemoryBroker(String name, Journal journal) {
        this.name = name;
        this.journal = journal;
        this.recorder = new Recorder(journal);
        this.outcomes = new RecordingInstrumentation(Math.max(1, journal.capacity()));
        this.engine = new InMemoryEngine(name, journal.isOff() ? InMemoryEngine.Listener.NONE : recorder);
    }

    /** The broker of that name, created on first use with {@link Journal#all()}. */
    public static InMemoryBroker named(String name) {
        return INSTANCES.computeIfAbsent(name, n -> new InMemoryBroker(n, Journal.all()));
    }

    /**
     * The broker of that name, created on first use with {@code journal}.
     *
     * @throws IllegalStateException if the broker exists with another journal
     */
    public static InMemoryBroker named(String name, Journal journal) {
        InMemoryBroker broker = INSTANCES.computeIfAbsent(name, n -> new InMemoryBroker(n, journal));
        if (!broker.journal.equals(journal)) {
            throw new IllegalStateException("in-memory broker \"" + name + "\" exists with journal " + broker.journal
                    + ", not " + journal + " (" + InMemoryProvider.JOURNAL + "): a broker's journal is set once, when it is created");
        }
        return broker;
    }

    /** A new broker with a unique name, isolated from every other, recording every event. */
    public static InMemoryBroker create() {
        return create(Journal.all());
    }

    /** A new broker with a unique name, isolated from every other, recording what {@code journal} says. */
    public static InMemoryBroker create(Journal journal) {
        return named("broker-" + UUID.randomUUID(), journal);
    }

    public String name() {
        return name;
    }

    /** What this broker records. */
    public Journal journal() {
        return journal;
    }

    /** The properties that select this broker (its name and journal). */
    public Map<String, String> properties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("switchboard.broker", InMemoryProvider.NAME);
        properties.put(InMemoryProvider.INSTANCE, name);
        properties.put(InMemoryProvider.JOURNAL, journal.toString());
        return properties;
    }

    /** A new {@link Messaging} on this broker. */
    public Messaging connect() {
        return connect(Map.of());
    }

    /**
     * A new {@link Messaging} on this broker, with more properties; what its runtime tells observers is recorded in
     * {@link #outcomes()}, unless the {@link #journal()} is off (then nothing observes, as for a benchmark).
     */
    public Messaging connect(Map<String, String> overrides) {
        Map<String, String> properties = properties();
        properties.putAll(overrides);
        Messaging.Builder builder = Messaging.builder().properties(properties);
        return (journal.isOff() ? builder : builder.instrumentation(outcomes)).build();
    }

    /**
     * What the runtimes of the {@code Messaging} instances from {@link #connect()} told their observers: every
     * publish and how it ended, every delivery and its outcome (retry scheduled, dead-lettered, skipped, duplicate,
     * given back), as metrics and traces would see them; as many of each as the {@link #journal()} keeps.
     */
    public RecordingInstrumentation outcomes() {
        return outcomes;
    }

    /** Every event published, on every topic (as far as the {@link #journal()} keeps them). */
    public RecordedEvents published() {
        return recorder.published;
    }

    /** Every delivery acknowledged after its handler (or a skip) finished, on every topic and group. */
    public RecordedEvents consumed() {
        return recorder.consumed;
    }

    /** Every dead letter written, with its diagnostic extensions. */
    public RecordedEvents deadLettered() {
        return recorder.deadLettered;
    }

    /** Forgets what was recorded (not the queues). */
    public void clearRecords() {
        recorder.published.clear();
        recorder.consumed.clear();
        recorder.deadLettered.clear();
        outcomes.clear();
    }

    /** Simulates an outage: every operation fails with {@code UNAVAILABLE}; in-flight deliveries are taken back. */
    public void stop() {
        engine.stop();
    }

    /** Ends an outage; queued events are delivered again. */
    public void start() {
        engine.start();
    }

    public boolean isRunning() {
        return engine.isRunning();
    }

    /**
     * Removes this broker from the JVM's registry and stops it: connections to it fail with {@code UNAVAILABLE},
     * and a later connection by the same name gets a new, empty broker. Idempotent.
     */
    @Override
    public void close() {
        INSTANCES.remove(name, this);
        engine.stop();
    }

    InMemoryEngine engine() {
        return engine;
    }

    @Override
    public String toString() {
        return "InMemoryBroker{" + name + (isRunning() ? "" : ", stopped") + "}";
    }

    /** The journal's three recordings, fed by the engine (not at all when the journal is off). */
    private static final class Recorder implements InMemoryEngine.Listener {
        final RecordedEvents published;
        final RecordedEvents consumed;
        final RecordedEvents deadLettered;

        Recorder(Journal journal) {
            published = new RecordedEvents("published", journal);
            consumed = new RecordedEvents("consumed", journal);
            deadLettered = new RecordedEvents("dead-lettered", journal);
        }

        @Override
        public void published(String topic, EventEnvelope envelope) {
            published.record(topic, null, envelope);
        }

        @Override
        public void consumed(String topic, String group, EventEnvelope envelope) {
            consumed.record(topic, group, envelope);
        }

        @Override
        public void deadLettered(String topic, String group, EventEnvelope deadLetter) {
            deadLettered.record(topic, group, deadLetter);
        }
    }
}
