package dev.switchboard.aws.internal;

import dev.switchboard.Connectivity;
import dev.switchboard.MessagingException;
import dev.switchboard.aws.AwsOptions;
import dev.switchboard.spi.BrokerDriver;
import dev.switchboard.spi.Capability;
import dev.switchboard.spi.DriverContext;
import dev.switchboard.spi.PublisherDriver;
import dev.switchboard.spi.ReceiverDriver;
import dev.switchboard.spi.ReceiverSpec;
import dev.switchboard.spi.TopologyDriver;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The SNS/SQS driver: publishes with {@link SnsPublisher}, consumes with {@link SqsReceiver}s, provisions with
 * {@link Topology}. The SDK's clients block, so their calls run on the driver's threads, in cached pools (the
 * core's batching and receive limits bound how many calls are out at once): one for long polls, one for every
 * other call. Thread-safe.
 */
public final class AwsDriver implements BrokerDriver {
    /** How long {@link #close} lets calls under way (the last acks and dead letters) finish. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
    private static final int MAX_CONCURRENT_RECEIVES = 4;

    private final AwsOptions options;
    private final AwsClients clients;
    private final Topology topology;
    private final ExecutorService calls;
    private final ExecutorService polls;
    private final ScheduledExecutorService scheduler;
    private final SnsPublisher publisher;
    private final Set<Capability> capabilities;

    public AwsDriver(AwsOptions options, DriverContext context) {
        this.options = options;
        this.clients = new AwsClients(options, context.connectTimeout());
        this.topology = new Topology(clients, options);
        this.calls = Executors.newCachedThreadPool(context.threads().apply("sns-sqs"));
        this.polls = Executors.newCachedThreadPool(context.threads().apply("sqs-receive"));
        this.scheduler = context.scheduler();
        this.publisher = new SnsPublisher(clients, topology, options, calls);
        this.capabilities = capabilities(options);
    }

    /** Per-key order only with FIFO topics and queues. */
    private static Set<Capability> capabilities(AwsOptions options) {
        EnumSet<Capability> declared = EnumSet.of(Capability.REDELIVERY_DELAY, Capability.NATIVE_ATTEMPT_COUNT,
                Capability.DEAD_LETTER_REPLAY);
        if (options.fifo()) {
            declared.add(Capability.ORDERING_BY_KEY);
        }
        return Set.copyOf(declared);
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public String attributePrefix() {
        return AwsAttributes.PREFIX;
    }

    /** SQS's longest visibility timeout. */
    @Override
    public Duration maxRedeliveryDelay() {
        return AwsOptions.MAX_VISIBILITY;
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
        String queueName = topology.sourceQueue(spec);
        int receives = options.receivers() > 0 ? options.receivers()
                : Math.min(MAX_CONCURRENT_RECEIVES, (spec.maxInFlight() + SnsPublisher.MAX_BATCH - 1) / SnsPublisher.MAX_BATCH);
        return new SqsReceiver(clients, options, calls, polls, scheduler, topology.queueUrl(queueName), queueName,
                topology.queueUrl(topology.deadLetterQueue(spec)), receives);
    }

    /** Whether SNS answered the last publish: HTTP keeps no connection to ask (see {@link Reachability}). */
    @Override
    public Connectivity connectivity() {
        return publisher.connectivity();
    }

    @Override
    public MessagingException classify(Throwable failure) {
        return AwsErrors.classify(failure);
    }

    /** The {@code SnsClient}, the {@code SqsClient} or the {@link AwsOptions}. */
    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        for (Object candidate : new Object[] {clients.sns(), clients.sqs(), options}) {
            if (type.isInstance(candidate)) {
                return Optional.of(type.cast(candidate));
            }
        }
        return BrokerDriver.super.unwrap(type);
    }

    /**
     * Lets the calls under way finish, then closes the clients. A long poll left behind by a drain is not waited
     * for: what it took, if anything, reappears after the visibility timeout.
     */
    @Override
    public void close() {
        calls.shutdown();
        polls.shutdown();
        try {
            calls.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        clients.close();
    }
}
