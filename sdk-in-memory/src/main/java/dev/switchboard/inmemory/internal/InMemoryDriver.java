package dev.switchboard.inmemory.internal;

import dev.switchboard.Connectivity;
import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;
import dev.switchboard.spi.Batching;
import dev.switchboard.spi.BrokerDriver;
import dev.switchboard.spi.Capability;
import dev.switchboard.spi.OutboundMessage;
import dev.switchboard.spi.PublisherDriver;
import dev.switchboard.spi.ReceiverDriver;
import dev.switchboard.spi.ReceiverSpec;
import dev.switchboard.spi.TopologyDriver;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The driver of the in-memory broker, the reference driver: every operation completes synchronously against an
 * {@link InMemoryEngine}. Thread-safe.
 */
public final class InMemoryDriver implements BrokerDriver, PublisherDriver, TopologyDriver {
    /** Everything: the in-memory broker is the reference implementation of every capability. */
    public static final Set<Capability> ALL_CAPABILITIES = Set.copyOf(EnumSet.allOf(Capability.class));
    /** The largest event the in-memory broker takes, payload and attributes: 16 MiB. */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    /** The attribute prefix of the (never written) wire form, as Kafka's binding. */
    static final String ATTRIBUTE_PREFIX = "ce_";

    /** Every successful send's result: completed, shared (callers only chain on it). */
    private static final CompletableFuture<String> SENT = CompletableFuture.completedFuture("");
    private static final Batching BATCHING = new Batching(1000, Integer.MAX_VALUE);

    private final InMemoryEngine engine;
    private final FaultInjector faults;
    private final Set<Capability> capabilities;

    /**
     * A driver on {@code engine}.
     *
     * @param capabilities what to declare; fewer than {@link #ALL_CAPABILITIES} lets tests see how the
     *     portable layer treats a broker without them
     */
    public InMemoryDriver(InMemoryEngine engine, FaultInjector faults, Set<Capability> capabilities) {
        this.engine = engine;
        this.faults = faults;
        this.capabilities = Set.copyOf(capabilities);
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public String attributePrefix() {
        return ATTRIBUTE_PREFIX;
    }

    @Override
    public PublisherDriver publisher() {
        return this;
    }

    @Override
    public TopologyDriver topology() {
        return this;
    }

    @Override
    public Batching batching() {
        return BATCHING;
    }

    @Override
    public int maxMessageBytes() {
        return MAX_MESSAGE_BYTES;
    }

    @Override
    public List<CompletableFuture<String>> send(String topic, List<OutboundMessage> batch) {
        List<CompletableFuture<String>> results = new ArrayList<>(batch.size());
        for (OutboundMessage message : batch) {
            try {
                engine.publish(topic, message);
                results.add(SENT);
            } catch (RuntimeException e) {
                results.add(CompletableFuture.failedFuture(e));
            }
        }
        return results;
    }

    /** Topics and groups are maps in this process. */
    @Override
    public boolean answersAtOnce() {
        return true;
    }

    @Override
    public boolean topicExists(String topic) {
        return engine.hasTopic(topic);
    }

    @Override
    public void createTopic(String topic) {
        engine.createTopic(topic);
    }

    @Override
    public boolean receiverExists(ReceiverSpec spec) {
        boolean source = spec.source() == ReceiverSpec.Source.DEAD_LETTERS
                || engine.existingGroup(spec.topic(), spec.group()) != null;
        return source && engine.hasDeadLetterQueue(spec.deadLetterDestination());
    }

    @Override
    public void createReceiver(ReceiverSpec spec) {
        if (spec.source() == ReceiverSpec.Source.SUBSCRIPTION) {
            engine.group(spec.topic(), spec.group());
        }
        engine.deadLetterQueue(spec.deadLetterDestination());
    }

    /** Opens a receiver; with provisioning {@code none}, the queue comes into being on first use. */
    @Override
    public ReceiverDriver openReceiver(ReceiverSpec spec) {
        GroupQueue queue = spec.source() == ReceiverSpec.Source.SUBSCRIPTION
                ? engine.group(spec.topic(), spec.group())
                : engine.deadLetterQueue(spec.deadLetterDestination());
        return new InMemoryReceiver(engine, spec, queue, faults);
    }

    @Override
    public MessagingException classify(Throwable failure) {
        return new MessagingException(ErrorCode.INTERNAL, "in-memory broker failure: " + failure, failure);
    }

    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        return type.isInstance(engine) ? Optional.of(type.cast(engine)) : BrokerDriver.super.unwrap(type);
    }

    /** Follows the broker's {@code stop()} and {@code start()}. */
    @Override
    public Connectivity connectivity() {
        return engine.connectivity();
    }

    /** Nothing to release: the broker lives on for other connections. */
    @Override
    public void close() {
    }
}
