package dev.switchboard.rabbitmq.internal;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.switchboard.EventEnvelope;
import dev.switchboard.MessagingException;
import dev.switchboard.rabbitmq.RabbitMqOptions;
import dev.switchboard.spi.AbstractBrokerDriver;
import dev.switchboard.spi.Capability;
import dev.switchboard.spi.DriverContext;
import dev.switchboard.spi.ReceiverSpec;
import dev.switchboard.spi.SubscriberDriver;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The RabbitMQ driver: one auto-recovering connection, one confirm-mode channel for publishing and dead
 * letters, one channel per receiver, one thread that writes the receivers' held acks. Thread-safe.
 */
public final class RabbitMqDriver extends AbstractBrokerDriver {
    /** Larger messages hurt a RabbitMQ node (they are held in memory whole); we refuse them early. */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    /** The routing key is the event type, truncated to AMQP's limit; groups bind with {@code #}. */
    private static final int MAX_ROUTING_KEY = 255;

    private final RabbitMqOptions options;
    private final ConnectionManager connections;
    private final Topology topology;
    private final ConfirmingPublisher publisher;
    private final ScheduledExecutorService ackScheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "switchboard-rabbitmq-acks");
        thread.setDaemon(true);
        return thread;
    });

    public RabbitMqDriver(RabbitMqOptions options, DriverContext context) {
        super("RabbitMQ", capabilities(options));
        this.options = options;
        this.connections = new ConnectionManager(options, "switchboard-" + context.serviceName(), context.connectTimeout());
        this.topology = new Topology(connections, options, context.provisioning());
        this.publisher = new ConfirmingPublisher(connections);
    }

    /** Per-key order needs single active consumer; native attempt counts need quorum queues. */
    private static Set<Capability> capabilities(RabbitMqOptions options) {
        EnumSet<Capability> declared = EnumSet.of(Capability.REDELIVERY_DELAY, Capability.LARGE_PAYLOADS,
                Capability.DEAD_LETTER_REPLAY);
        if (options.singleActiveConsumer()) {
            declared.add(Capability.ORDERING_BY_KEY);
        }
        if (options.queueType().equals("quorum")) {
            declared.add(Capability.NATIVE_ATTEMPT_COUNT);
        }
        return declared;
    }

    @Override
    public int maxMessageBytes() {
        return MAX_MESSAGE_BYTES;
    }

    @Override
    protected CompletableFuture<String> sendOne(String topic, EventEnvelope envelope) {
        String routingKey = envelope.type().length() <= MAX_ROUTING_KEY ? envelope.type() : envelope.type().substring(0, MAX_ROUTING_KEY);
        return publisher.publish(topic, routingKey, AmqpMessages.properties(envelope), AmqpMessages.headers(envelope, Map.of()),
                envelope.data());
    }

    @Override
    public void ensureTopic(String topic) {
        checkOpen();
        topology.exchange(topic);
    }

    @Override
    public SubscriberDriver subscribe(ReceiverSpec spec) {
        checkOpen();
        String queue;
        if (spec.source() == ReceiverSpec.Source.SUBSCRIPTION) {
            queue = spec.topic() + "." + spec.group();
            topology.groupQueue(spec.topic(), queue);
        } else {
            queue = spec.deadLetterDestination();
        }
        topology.deadLetterQueue(spec.deadLetterDestination());
        return new RabbitMqReceiver(this, queue, spec.deadLetterDestination(), spec.maxInFlight());
    }

    Channel openChannel() {
        return connections.openChannel();
    }

    @Override
    public MessagingException classify(Throwable failure) {
        return RabbitMqErrors.classify(failure);
    }

    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        if (type == Connection.class) {
            return Optional.of(type.cast(connections.connection()));
        }
        return type.isInstance(options) ? Optional.of(type.cast(options)) : super.unwrap(type);
    }

    @Override
    protected void closeClients() {
        ackScheduler.shutdown();
        connections.close();
    }

    Topology topology() {
        return topology;
    }

    ConfirmingPublisher confirmingPublisher() {
        return publisher;
    }

    /** Where receivers schedule the flushes of their held acks. */
    ScheduledExecutorService ackScheduler() {
        return ackScheduler;
    }

}
