package dev.switchboard.kafka.internal;

import dev.switchboard.Connectivity;
import dev.switchboard.MessagingException;
import dev.switchboard.kafka.KafkaOptions;
import dev.switchboard.spi.Batching;
import dev.switchboard.spi.BrokerDriver;
import dev.switchboard.spi.Capability;
import dev.switchboard.spi.DriverContext;
import dev.switchboard.spi.OutboundMessage;
import dev.switchboard.spi.PublisherDriver;
import dev.switchboard.spi.ReceiverDriver;
import dev.switchboard.spi.ReceiverSpec;
import dev.switchboard.spi.TopologyDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka driver: one idempotent producer (publishing and dead letters), one admin client (topics; a group
 * needs no provisioning, so a receiver is its dead-letter topic and, for a subscription, its topic; every admin
 * call is bounded by {@code default.api.timeout.ms}, the connect timeout), and one consumer per receiver.
 * Kafka keeps no message back for a delay; a nacked record is copied to the group's retry topic instead (see
 * {@link RetryRecords}), which the group reads beside its topic, so {@link Capability#REDELIVERY_DELAY} is declared
 * and a long retry delay does not hold back the topic's committed position. Thread-safe.
 *
 * <p>Records follow the CloudEvents Kafka protocol binding, binary content mode: each attribute a {@code ce_}
 * header (UTF-8), the content type the {@code content-type} header, the partition key the record key; the core
 * writes the attributes and reads them back from a {@link KafkaMessage}.
 */
public final class KafkaDriver implements BrokerDriver, PublisherDriver, TopologyDriver {
    static final String PREFIX = "ce_";
    static final String CONTENT_TYPE = "content-type";
    /** The {@code time} attribute's header, left out under {@code switchboard.kafka.event-time=record-timestamp}. */
    static final String TIME_HEADER = PREFIX + "time";
    private static final Logger log = LoggerFactory.getLogger(KafkaDriver.class);
    private static final Set<Capability> CAPABILITIES = Set.of(Capability.ORDERING_BY_KEY, Capability.DEAD_LETTER_REPLAY,
            Capability.REDELIVERY_DELAY);
    /**
     * The producer batches on its own ({@code linger.ms}, {@code batch.size}) and {@code send} only queues, so
     * the core may hand over any number of messages in any number of calls at once.
     */
    private static final Batching BATCHING = new Batching(1024, Integer.MAX_VALUE);
    /** Room for the record's framing and headers that {@code max.request.size} also has to hold. */
    private static final int RECORD_OVERHEAD = 512;

    private final KafkaOptions options;
    private final KafkaClients clients;
    private final Producer<String, byte[]> producer;
    private final Admin admin;
    private final GroupLag lag;
    private final ClientConnectivity connectivity;
    private final KafkaErrors errors;
    private final int maxMessageBytes;
    private final HeaderBytes headerBytes = new HeaderBytes();
    private final FirstSends firstSends;
    private final ScheduledExecutorService scheduler;
    private final long maxBlockMillis;

    public KafkaDriver(KafkaOptions options, DriverContext context) {
        this.options = options;
        this.clients = new KafkaClients(options, context.connectTimeout());
        var producerConfig = clients.producer();
        this.maxMessageBytes = Integer.parseInt(String.valueOf(producerConfig.getOrDefault(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024 * 1024))) - RECORD_OVERHEAD;
        this.producer = new KafkaProducer<>(producerConfig);
        this.maxBlockMillis = Long.parseLong(String.valueOf(producerConfig.get(ProducerConfig.MAX_BLOCK_MS_CONFIG)));
        this.scheduler = context.scheduler();
        this.firstSends = new FirstSends(Executors.newSingleThreadExecutor(context.threads().apply("kafka-first-send")));
        this.admin = Admin.create(clients.admin());
        this.lag = new GroupLag(admin, context.connectTimeout());
        this.connectivity = new ClientConnectivity(producer.metrics(), "producer-metrics");
        this.errors = new KafkaErrors(options.bootstrapServers());
        log.info("Kafka driver: {}", options);
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public String attributePrefix() {
        return PREFIX;
    }

    /** A record without a key went to a partition by no key: no lane could keep its order across members. */
    @Override
    public boolean ordersByTransportKeyOnly() {
        return true;
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
        return maxMessageBytes;
    }

    /**
     * Sends each message as one record; each completes with {@code partition@offset} once every in-sync replica
     * has it. Never waits for the broker: see {@link FirstSends}.
     */
    @Override
    public List<CompletableFuture<String>> send(String topic, List<OutboundMessage> batch) {
        List<CompletableFuture<String>> results = new ArrayList<>(batch.size());
        for (OutboundMessage message : batch) {
            results.add(send(toRecord(topic, message)));
        }
        return results;
    }

    /** Sends one record (a publish, a dead letter, a retry copy); completes with {@code partition@offset}. */
    CompletableFuture<String> send(ProducerRecord<String, byte[]> record) {
        CompletableFuture<String> result = new CompletableFuture<>();
        firstSends.send(record.topic(), () -> sendRecord(record, result),
                () -> result.completeExceptionally(new IllegalStateException("the Kafka driver is closed")));
        return result;
    }

    /** Hands the record to the producer; false if it refused it (then {@code result} has failed). */
    private boolean sendRecord(ProducerRecord<String, byte[]> record, CompletableFuture<String> result) {
        try {
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    result.complete(metadata.partition() + "@" + metadata.offset());
                } else {
                    result.completeExceptionally(error);
                }
            });
            return true;
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return false;
        }
    }

    private ProducerRecord<String, byte[]> toRecord(String topic, OutboundMessage message) {
        RecordHeaders headers = new RecordHeaders();
        boolean timeInTimestamp = options.timeInRecordTimestamp();
        message.forEachAttribute(PREFIX, (name, value) -> {
            if (!timeInTimestamp || !name.equals(TIME_HEADER)) {
                headers.add(name, headerBytes.of(name, value));
            }
        });
        Long timestamp = timeInTimestamp && message.epochMillis() >= 0 ? message.epochMillis() : null;
        if (message.contentType() != null) {
            headers.add(CONTENT_TYPE, headerBytes.of(CONTENT_TYPE, message.contentType()));
        }
        return new ProducerRecord<>(topic, null, timestamp, message.key(), message.body().sharedArray(), headers);
    }

    @Override
    public boolean topicExists(String topic) {
        return exist(List.of(topic));
    }

    @Override
    public void createTopic(String topic) {
        create(List.of(topic));
    }

    @Override
    public boolean receiverExists(ReceiverSpec spec) {
        return exist(topicsOf(spec));
    }

    @Override
    public void createReceiver(ReceiverSpec spec) {
        create(topicsOf(spec));
    }

    /** A subscription's topic, its retry topic and its dead-letter topic; a dead-letter reader's dead-letter topic. */
    private static List<String> topicsOf(ReceiverSpec spec) {
        return spec.source() == ReceiverSpec.Source.SUBSCRIPTION
                ? List.of(spec.topic(), RetryRecords.topicOf(spec.topic(), spec.group()), spec.deadLetterDestination())
                : List.of(spec.deadLetterDestination());
    }

    private boolean exist(List<String> topics) {
        try {
            await(admin.describeTopics(topics).allTopicNames());
            return true;
        } catch (UnknownTopicOrPartitionException e) {
            return false;
        }
    }

    private void create(List<String> topics) {
        List<NewTopic> requested = topics.stream()
                .map(topic -> new NewTopic(topic, Optional.of(options.partitions()), options.replicationFactor()))
                .toList();
        // one request: its per-topic answers arrive together
        for (KafkaFuture<Void> created : admin.createTopics(requested).values().values()) {
            try {
                await(created);
            } catch (TopicExistsException e) {
                // there already: what create asks for
            }
        }
    }

    /** The result, or the native failure thrown as it is (a Kafka failure is unchecked). */
    private static <T> T await(KafkaFuture<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new CompletionException(e.getCause());
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        }
    }

    /**
     * A consumer in the group on the topic and the group's retry topic, or for the dead letters in the group
     * {@code <group>.dlq-reader}.
     */
    @Override
    public ReceiverDriver openReceiver(ReceiverSpec spec) {
        boolean deadLetters = spec.source() == ReceiverSpec.Source.DEAD_LETTERS;
        return new KafkaReceiver(this, spec, deadLetters ? spec.deadLetterDestination() : spec.topic(),
                deadLetters ? null : RetryRecords.topicOf(spec.topic(), spec.group()),
                clients.consumer(deadLetters ? spec.group() + ".dlq-reader" : spec.group(), spec.maxInFlight()),
                options.timeInRecordTimestamp(), scheduler);
    }

    /** The lag of a receiver's group, with the admin client (see {@link GroupLag}). */
    GroupLag lag() {
        return lag;
    }

    /** The producer's: see {@link ClientConnectivity}. */
    @Override
    public Connectivity connectivity() {
        return connectivity.get();
    }

    @Override
    public MessagingException classify(Throwable failure) {
        return errors.classify(failure);
    }

    /** The producer, the admin client, the options, or this driver. */
    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        for (Object candidate : List.of(producer, admin, options)) {
            if (type.isInstance(candidate)) {
                return Optional.of(type.cast(candidate));
            }
        }
        return BrokerDriver.super.unwrap(type);
    }

    @Override
    public void close() {
        firstSends.close(maxBlockMillis);
        producer.close();
        admin.close(Duration.ofSeconds(5));
    }
}
