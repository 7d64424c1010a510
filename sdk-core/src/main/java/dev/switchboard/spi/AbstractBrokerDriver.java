package dev.switchboard.spi;

import dev.switchboard.ErrorCode;
import dev.switchboard.EventEnvelope;
import dev.switchboard.MessagingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A base for drivers that are their own publisher: it keeps the declared capabilities and the open/closed
 * state (every operation after {@link #close()} fails with {@code CANCELLED}; closing twice is a no-op), and
 * sends a batch as one {@link #sendOne} per event, which suits brokers that take events one at a time (Kafka
 * records, AMQP messages). A broker with a batch call overrides {@link #send}.
 *
 * @since 0.1
 */
public abstract class AbstractBrokerDriver implements BrokerDriver, PublisherDriver {
    private final String brokerName;
    private final Set<Capability> capabilities;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param brokerName how errors name this driver, such as {@code Kafka}
     * @param capabilities what it declares, for its whole life
     */
    protected AbstractBrokerDriver(String brokerName, Set<Capability> capabilities) {
        this.brokerName = brokerName;
        this.capabilities = Set.copyOf(capabilities);
    }

    @Override
    public final Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public final PublisherDriver publisher() {
        return this;
    }

    /** 1000 unless overridden: batches only bound how much one call holds. */
    @Override
    public int maxBatchSize() {
        return 1000;
    }

    @Override
    public List<CompletableFuture<String>> send(String topic, List<EventEnvelope> batch) {
        checkOpen();
        List<CompletableFuture<String>> results = new ArrayList<>(batch.size());
        for (EventEnvelope envelope : batch) {
            results.add(sendOne(topic, envelope));
        }
        return results;
    }

    /** Sends one envelope; the future completes with the broker's reference once the broker confirmed it. */
    protected abstract CompletableFuture<String> sendOne(String topic, EventEnvelope envelope);

    @Override
    public final void close() {
        if (closed.compareAndSet(false, true)) {
            closeClients();
        }
    }

    /** Releases the native clients; called once. */
    protected abstract void closeClients();

    /** Fails with {@code CANCELLED} once the driver is closed; for the driver's receivers too. */
    public final void checkOpen() {
        if (closed.get()) {
            throw new MessagingException(ErrorCode.CANCELLED, "the " + brokerName + " driver is closed");
        }
    }
}
