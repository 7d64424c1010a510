package dev.switchboard.testkit.internal;

import dev.switchboard.ErrorCode;
import dev.switchboard.EventEnvelope;
import dev.switchboard.MessagingException;
import dev.switchboard.Provisioning;
import dev.switchboard.spi.AbstractBrokerDriver;
import dev.switchboard.spi.Capability;
import dev.switchboard.spi.ReceiverSpec;
import dev.switchboard.spi.SubscriberDriver;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** The driver of the in-memory broker: every operation completes synchronously against an {@link InMemoryEngine}. */
public final class InMemoryDriver extends AbstractBrokerDriver {
    /** Everything: the in-memory broker is the reference implementation of every capability. */
    public static final Set<Capability> ALL_CAPABILITIES = Set.copyOf(EnumSet.allOf(Capability.class));
    /** The largest event the in-memory broker takes, payload and attributes: 16 MiB. */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    /** Every successful send's result: completed, shared (callers only chain on it). */
    private static final CompletableFuture<String> SENT = CompletableFuture.completedFuture("");

    private final InMemoryEngine engine;
    private final Provisioning provisioning;
    private final FaultInjector faults;

    /**
     * A driver on {@code engine}.
     *
     * @param capabilities what to declare; fewer than {@link #ALL_CAPABILITIES} lets tests see how the
     *     portable layer treats a broker without them
     */
    public InMemoryDriver(InMemoryEngine engine, Provisioning provisioning, FaultInjector faults,
                          Set<Capability> capabilities) {
        super("in-memory", capabilities);
        this.engine = engine;
        this.provisioning = provisioning;
        this.faults = faults;
    }

    @Override
    public int maxMessageBytes() {
        return MAX_MESSAGE_BYTES;
    }

    @Override
    protected CompletableFuture<String> sendOne(String topic, EventEnvelope envelope) {
        try {
            engine.publish(topic, envelope);
            return SENT;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
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
        return type.isInstance(engine) ? Optional.of(type.cast(engine)) : super.unwrap(type);
    }

    @Override
    protected void closeClients() {
        // nothing to release: the broker lives on for other connections
    }
}
