package dev.switchboard.spi;

import dev.switchboard.Connectivity;
import dev.switchboard.MessagingException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * One open connection to a broker: what a {@link BrokerProvider} opens. Thread-safe: the core calls it from
 * many threads.
 *
 * <p>A driver moves wire messages and acknowledgements, nothing more. The core owns the CloudEvents binding,
 * batching, retries and backoff, dead-lettering, error unwrapping, the provisioning policy, ordering and
 * drain; a driver never retries and never classifies its own failures in its hot paths: it fails with the
 * native exception and the core calls {@link #classify}.
 *
 * @since 0.1
 */
public interface BrokerDriver extends AutoCloseable {
    /** What optional behaviour this broker offers. Constant for the life of the driver. */
    Set<Capability> capabilities();

    /**
     * The prefix of the headers that carry CloudEvents attributes on this transport: {@code ce_} on Kafka and
     * SNS/SQS, {@code cloudEvents:} on AMQP.
     */
    String attributePrefix();

    /**
     * Whether the transport's own key ({@link InboundMessage#key()}) is the only ordering key this broker keeps.
     * Then the core orders a message without one as unkeyed and reads no header on the receiving thread to find
     * one (Kafka: a record without a key was spread over partitions by no key, so no lane could order it anyway).
     * Default false: the core falls back to the {@code partitionkey} attribute.
     */
    default boolean ordersByTransportKeyOnly() {
        return false;
    }

    /**
     * The longest redelivery delay {@link ReceiverDriver#nack} honours (SQS: 12 hours). A subscription whose
     * retry policy could ask for more fails at subscribe time; a longer explicit retry-after is capped.
     */
    default Duration maxRedeliveryDelay() {
        return Duration.ofDays(365);
    }

    /** The publishing side; the same instance on every call. */
    PublisherDriver publisher();

    /** The provisioning primitives; the same instance on every call. */
    TopologyDriver topology();

    /**
     * Opens a receiver. The core has provisioned what it reads from (under the provisioning policy) before;
     * the receiver must see every message published after this method returns.
     */
    ReceiverDriver openReceiver(ReceiverSpec spec);

    /**
     * Classifies a native failure into a {@link MessagingException} with the matching
     * {@link dev.switchboard.ErrorCode}, the native failure as its cause. Called by the core only, with the
     * failure already unwrapped from {@code CompletionException} and {@code ExecutionException}. Must not
     * throw; may return null for a failure it does not know (the core then reports {@code UNKNOWN}).
     */
    MessagingException classify(Throwable failure);

    /** The native client, for what Switchboard does not cover. */
    default <T> Optional<T> unwrap(Class<T> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }

    /** Releases every connection. Idempotent. Called once every receiver is closed. */
    @Override
    void close();

    /**
     * Whether the driver's own connection (the publisher's) is up, as far as the client knows; called from any
     * thread, must be cheap (no round trip). Default {@link Connectivity#UNKNOWN}.
     */
    default Connectivity connectivity() {
        return Connectivity.UNKNOWN;
    }
}
