package dev.switchboard.rabbitmq.internal;

import com.rabbitmq.client.Connection;
import dev.switchboard.Connectivity;
import dev.switchboard.MessagingException;
import dev.switchboard.rabbitmq.RabbitMqOptions;
import dev.switchboard.spi.BrokerDriver;
import dev.switchboard.spi.Capability;
import dev.switchboard.spi.DriverContext;
import dev.switchboard.spi.PublisherDriver;
import dev.switchboard.spi.ReceiverDriver;
import dev.switchboard.spi.ReceiverSpec;
import dev.switchboard.spi.TopologyDriver;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;

/**
 * The RabbitMQ driver: one auto-recovering connection, one confirm-mode channel for publishing, retries and
 * dead letters, one channel per receiver. Retry delays wait in TTL queues on the broker (durable), up to
 * 15 minutes. Thread-safe.
 */
public final class RabbitMqDriver implements BrokerDriver {
    private final RabbitMqOptions options;
    private final ConnectionManager connections;
    private final Topology topology;
    private final ConfirmingPublisher publisher;
    private final ScheduledExecutorService scheduler;
    private final RabbitMqErrors errors;

    public RabbitMqDriver(RabbitMqOptions options, DriverContext context) {
        this.options = options;
        this.connections = new ConnectionManager(options, "switchboard-" + context.serviceName(), context.connectTimeout(),
                context.threads().apply("rabbitmq"));
        this.topology = new Topology(connections, options);
        this.publisher = new ConfirmingPublisher(connections);
        this.scheduler = context.scheduler();
        this.errors = new RabbitMqErrors(options.describe());
    }

    /** Per-key order needs single active consumer; native attempt counts need quorum queues. */
    @Override
    public Set<Capability> capabilities() {
        EnumSet<Capability> declared = EnumSet.of(Capability.REDELIVERY_DELAY, Capability.LARGE_PAYLOADS,
                Capability.DEAD_LETTER_REPLAY);
        if (options.singleActiveConsumer()) {
            declared.add(Capability.ORDERING_BY_KEY);
        }
        if (options.queueType().equals("quorum")) {
            declared.add(Capability.NATIVE_ATTEMPT_COUNT);
        }
        return Set.copyOf(declared);
    }

    /** The CloudEvents AMQP binding's header prefix. */
    @Override
    public String attributePrefix() {
        return AmqpMessages.PREFIX;
    }

    /** The longest delay of the retry queues' grid (see {@link RetryDelays}). */
    @Override
    public Duration maxRedeliveryDelay() {
        return Duration.ofMillis(RetryDelays.MAX_MILLIS);
    }

    @Override
    public PublisherDriver publisher() {
        return publisher;
    }

    @Override
    public TopologyDriver topology() {
        return topology;
    }

    @Override
    public ReceiverDriver openReceiver(ReceiverSpec spec) {
        if (topology.partitioned(spec)) {
            return new PartitionedReceiver(options.partitions(), partition -> new RabbitMqReceiver(connections, topology,
                    publisher, scheduler, Topology.partitionQueue(spec, partition), Topology.deadLetterQueue(spec),
                    spec.maxInFlight()), new GroupMembers(connections, Topology.membersExchange(spec), scheduler));
        }
        return new RabbitMqReceiver(connections, topology, publisher, scheduler, Topology.queue(spec),
                Topology.deadLetterQueue(spec), spec.maxInFlight());
    }

    @Override
    public MessagingException classify(Throwable failure) {
        return errors.classify(failure);
    }

    /** The amqp-client {@link Connection} (connecting now if need be) or the {@link RabbitMqOptions}. */
    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        if (type == Connection.class) {
            try {
                return Optional.of(type.cast(connections.connection()));
            } catch (IOException | TimeoutException e) {
                throw errors.classify(e); // for a caller of Messaging.unwrap, as every Switchboard failure is
            }
        }
        return type.isInstance(options) ? Optional.of(type.cast(options)) : BrokerDriver.super.unwrap(type);
    }

    /** The driver's one connection (see {@link ConnectionManager#connectivity()}). */
    @Override
    public Connectivity connectivity() {
        return connections.connectivity();
    }

    @Override
    public void close() {
        connections.close();
    }
}
