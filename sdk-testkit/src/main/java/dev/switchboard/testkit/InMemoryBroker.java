package dev.switchboard.testkit;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.testkit.internal.InMemoryEngine;
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
 * publish, acknowledged delivery and dead letter is recorded for assertions. Thread-safe.
 *
 * @since 0.1
 */
public final class InMemoryBroker {
    /** The name used when {@code switchboard.in-memory.instance} is not set. */
    public static final String DEFAULT_NAME = "default";

    private static final Map<String, InMemoryBroker> INSTANCES = new ConcurrentHashMap<>();

    private final String name;
    private final Journal journal = new Journal();
    private final InMemoryEngine engine;

    private InMemoryBroker(String name) {
        this.name = name;
        this.engine = new InMemoryEngine(name, journal);
    }

    /** The broker of that name, created on first use. */
    public static InMemoryBroker named(String name) {
        return INSTANCES.computeIfAbsent(name, InMemoryBroker::new);
    }

    /** A new broker with a unique name, isolated from every other. */
    public static InMemoryBroker create() {
        return named("broker-" + UUID.randomUUID());
    }

    public String name() {
        return name;
    }

    /** The properties that select this broker. */
    public Map<String, String> properties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("switchboard.broker", InMemoryProvider.NAME);
        properties.put(InMemoryProvider.INSTANCE, name);
        return properties;
    }

    /** A new {@link Messaging} on this broker. */
    public Messaging connect() {
        return connect(Map.of());
    }

    /** A new {@link Messaging} on this broker, with more properties. */
    public Messaging connect(Map<String, String> overrides) {
        Map<String, String> properties = properties();
        properties.putAll(overrides);
        return Messaging.fromConfig(properties);
    }

    /** Every event published, on every topic. */
    public RecordedEvents published() {
        return journal.published;
    }

    /** Every delivery acknowledged after its handler (or a skip) finished, on every topic and group. */
    public RecordedEvents consumed() {
        return journal.consumed;
    }

    /** Every dead letter written, with its diagnostic extensions. */
    public RecordedEvents deadLettered() {
        return journal.deadLettered;
    }

    /** Forgets what was recorded (not the queues). */
    public void clearRecords() {
        journal.published.clear();
        journal.consumed.clear();
        journal.deadLettered.clear();
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

    InMemoryEngine engine() {
        return engine;
    }

    @Override
    public String toString() {
        return "InMemoryBroker{" + name + (isRunning() ? "" : ", stopped") + "}";
    }

    private static final class Journal implements InMemoryEngine.Listener {
        final RecordedEvents published = new RecordedEvents("published");
        final RecordedEvents consumed = new RecordedEvents("consumed");
        final RecordedEvents deadLettered = new RecordedEvents("dead-lettered");

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
