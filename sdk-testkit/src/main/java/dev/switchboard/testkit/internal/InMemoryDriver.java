package dev.switchboard.testkit.internal;

import dev.switchboard.ErrorCode;
import dev.switchboard.EventEnvelope;
import dev.switchboard.MessagingException;
import dev.switchboard.Provisioning;
import dev.switchboard.spi.BrokerDriver;
import dev.switchboard.spi.Capability;
import dev.switchboard.spi.PublisherDriver;
import dev.switchboard.spi.ReceiverSpec;
import dev.switchboard.spi.SubscriberDriver;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/** The driver of the in-memory broker: every operation completes synchronously against an {@link InMemoryEngine}. */
public final class InMemoryDriver implements BrokerDriver, PublisherDriver {
    /** Everything: the in-memory broker is the reference implementation of every capability. */
    public static final Set<Capability> ALL_CAPABILITIES = Set.copyOf(EnumSet.allOf(Capability.class));

    private final InMemoryEngine engine;
    private final Provisioning provisioning;
    private final FaultInjector faults;
    private final Set<Capability> capabilities;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * A driver on {@code engine}.
     *
     * @param capabilities what to declare; fewer than {@link #ALL_CAPABILITIES} lets tests see how the
     *     portable layer treats a broker without them
     */
    public InMemoryDriver(InMemoryEngine engine, Provisioning provisioning, FaultInjector faults,
                          Set<Capability> capabilities) {
        this.engine = engine;
        this.provisioning = provisioning;
        this.faults = faults;
        this.capabilities = Set.copyOf(capabilities);
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public PublisherDriver publisher() {
        return this;
    }

    /** The largest event the in-memory broker takes, payload and attributes: 16 MiB. */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    @Override
    public int maxBatchSize() {
        return 1000;
    }

    @Override
    public int maxMessageBytes() {
        return MAX_MESSAGE_BYTES;
    }

    @Override
    public List<CompletableFuture<String>> send(String topic, List<EventEnvelope> batch) {
        List<CompletableFuture<String>> results = new ArrayList<>(batch.size());
        for (EventEnvelope envelope : batch) {
            try {
                checkOpen();
                engine.publish(topic, envelope);
                results.add(CompletableFuture.completedFuture(""));
            } catch (RuntimeException e) {
                results.add(CompletableFuture.failedFuture(e));
            }
        }
        return results;
    }

    @Override
    public void ensureTopic(String topic) {
        checkOpen();
        engine.ensureTopic(topic, provisioning);
    }

    @Override
    public SubscriberDriver subscribe(ReceiverSpec spec) {
        checkOpen();
        GroupQueue queue = spec.source() == ReceiverSpec.Source.SUBSCRIPTION
                ? engine.group(spec.topic(), spec.group(), provisioning)
                : engine.deadLetterQueue(spec.deadLetterDestination());
        return new InMemoryReceiver(engine, spec, queue, faults);
    }

    @Override
    public MessagingException classify(Throwable failure) {
        if (failure instanceof MessagingException m) {
            return m;
        }
        return new MessagingException(ErrorCode.INTERNAL, "in-memory broker failure: " + failure, failure);
    }

    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        return type.isInstance(engine) ? Optional.of(type.cast(engine)) : BrokerDriver.super.unwrap(type);
    }

    @Override
    public void close() {
        closed.set(true);
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new MessagingException(ErrorCode.CANCELLED, "the in-memory driver is closed");
        }
    }
}
