package dev.switchboard.kafka.internal;

import dev.switchboard.EventEnvelope;
import dev.switchboard.MessagingException;
import dev.switchboard.kafka.KafkaOptions;
import dev.switchboard.spi.AbstractBrokerDriver;
import dev.switchboard.spi.Capability;
import dev.switchboard.spi.DriverContext;
import dev.switchboard.spi.ReceiverSpec;
import dev.switchboard.spi.SubscriberDriver;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka driver: one idempotent producer (publishing and dead letters), one admin client (provisioning),
 * and one consumer per receiver. Thread-safe.
 */
public final class KafkaDriver extends AbstractBrokerDriver {
    private static final Logger log = LoggerFactory.getLogger(KafkaDriver.class);
    private static final Set<Capability> CAPABILITIES = Set.of(Capability.ORDERING_BY_KEY, Capability.REDELIVERY_DELAY,
            Capability.DEAD_LETTER_REPLAY);
    /** Room for the record's framing and headers that {@code max.request.size} also has to hold. */
    private static final int RECORD_OVERHEAD = 512;

    private final KafkaOptions options;
    private final KafkaClients clients;
    private final Producer<String, byte[]> producer;
    private final TopicProvisioner topics;
    private final int maxMessageBytes;

    public KafkaDriver(KafkaOptions options, DriverContext context) {
        super("Kafka", CAPABILITIES);
        this.options = options;
        this.clients = new KafkaClients(options, context.connectTimeout());
        var producerConfig = clients.producer();
        this.maxMessageBytes = Integer.parseInt(String.valueOf(producerConfig.getOrDefault(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024 * 1024))) - RECORD_OVERHEAD;
        this.producer = new KafkaProducer<>(producerConfig);
        this.topics = new TopicProvisioner(Admin.create(clients.admin()), options, context.provisioning(),
                context.connectTimeout());
        log.info("Kafka driver: {}", options);
    }

    @Override
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** Sends one record; completes with {@code partition@offset} once every in-sync replica has it. */
    @Override
    protected CompletableFuture<String> sendOne(String topic, EventEnvelope envelope) {
        CompletableFuture<String> result = new CompletableFuture<>();
        try {
            producer.send(KafkaRecords.toRecord(topic, envelope), (metadata, error) -> {
                if (error == null) {
                    result.complete(metadata.partition() + "@" + metadata.offset());
                } else {
                    result.completeExceptionally(KafkaErrors.classify(error));
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(KafkaErrors.classify(e));
        }
        return result;
    }

    @Override
    public void ensureTopic(String topic) {
        checkOpen();
        topics.ensure(topic);
    }

    @Override
    public SubscriberDriver subscribe(ReceiverSpec spec) {
        checkOpen();
        String source = spec.source() == ReceiverSpec.Source.SUBSCRIPTION ? spec.topic() : spec.deadLetterDestination();
        topics.ensure(source);
        if (spec.source() == ReceiverSpec.Source.SUBSCRIPTION) {
            topics.ensure(spec.deadLetterDestination());
        }
        String group = spec.source() == ReceiverSpec.Source.SUBSCRIPTION ? spec.group() : spec.group() + ".dlq-reader";
        return new KafkaReceiver(this, spec, source, clients.consumer(group, spec.maxInFlight()));
    }

    @Override
    public MessagingException classify(Throwable failure) {
        return KafkaErrors.classify(failure);
    }

    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        if (type.isInstance(producer)) {
            return Optional.of(type.cast(producer));
        }
        if (type.isInstance(topics.admin())) {
            return Optional.of(type.cast(topics.admin()));
        }
        return type.isInstance(options) ? Optional.of(type.cast(options)) : super.unwrap(type);
    }

    @Override
    protected void closeClients() {
        producer.close();
        topics.close();
    }
}
