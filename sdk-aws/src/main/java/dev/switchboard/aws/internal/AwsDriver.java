package dev.switchboard.aws.internal;

import dev.switchboard.ErrorCode;
import dev.switchboard.EventEnvelope;
import dev.switchboard.MessagingException;
import dev.switchboard.aws.AwsOptions;
import dev.switchboard.spi.AbstractBrokerDriver;
import dev.switchboard.spi.Capability;
import dev.switchboard.spi.DriverContext;
import dev.switchboard.spi.ReceiverSpec;
import dev.switchboard.spi.SubscriberDriver;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;

/**
 * The SNS/SQS driver: publishes with SNS PublishBatch (10 entries a call), consumes with
 * {@link SqsReceiver}s. SDK calls are blocking, so they run on the driver's own threads and callers get
 * futures. Thread-safe.
 */
public final class AwsDriver extends AbstractBrokerDriver {
    /** SNS's limit for a message, body and attributes together. */
    public static final int MAX_MESSAGE_BYTES = 256 * 1024;
    private static final int PUBLISH_THREADS = 8;

    private final AwsOptions options;
    private final AwsClients clients;
    private final Topology topology;
    private final ExecutorService executor;
    private final ScheduledExecutorService scheduler;
    private final PublishBatcher batcher;
    /** FIFO only: per topic, the publish call that the next one waits for. */
    private final Map<String, CompletableFuture<?>> fifoTails = new ConcurrentHashMap<>();

    public AwsDriver(AwsOptions options, DriverContext context) {
        super("SNS/SQS", capabilities(options));
        this.options = options;
        this.clients = new AwsClients(options, context.connectTimeout());
        this.topology = new Topology(clients, options, context.provisioning());
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(PUBLISH_THREADS, r -> daemon(r, "switchboard-sns-" + threads.incrementAndGet()));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "switchboard-sqs-visibility"));
        this.batcher = options.batchLinger().isZero() ? null : new PublishBatcher(this::publishBatch, scheduler, options.batchLinger());
    }

    /** Per-key order only with FIFO topics and queues. */
    private static Set<Capability> capabilities(AwsOptions options) {
        EnumSet<Capability> declared = EnumSet.of(Capability.REDELIVERY_DELAY, Capability.NATIVE_ATTEMPT_COUNT,
                Capability.DEAD_LETTER_REPLAY);
        if (options.fifo()) {
            declared.add(Capability.ORDERING_BY_KEY);
        }
        return declared;
    }

    @Override
    public int maxBatchSize() {
        return BatchWindow.MAX_BATCH;
    }

    @Override
    public int maxMessageBytes() {
        return MAX_MESSAGE_BYTES;
    }

    @Override
    public Duration maxRedeliveryDelay() {
        return AwsOptions.MAX_VISIBILITY;
    }

    /** One event is a batch of one: SNS's PublishBatch is the publishing path. */
    @Override
    protected CompletableFuture<String> sendOne(String topic, EventEnvelope envelope) {
        return send(topic, List.of(envelope)).get(0);
    }

    /** A single event waits up to the batch linger for company; a batch goes out at once. */
    @Override
    public List<CompletableFuture<String>> send(String topic, List<EventEnvelope> batch) {
        checkOpen();
        return batch.size() == 1 && batcher != null ? List.of(batcher.add(topic, batch.get(0))) : publishBatch(topic, batch);
    }

    private List<CompletableFuture<String>> publishBatch(String topic, List<EventEnvelope> batch) {
        List<CompletableFuture<String>> results = new ArrayList<>(batch.size());
        List<PublishBatchRequestEntry> entries = new ArrayList<>();
        Map<String, CompletableFuture<String>> byEntryId = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            CompletableFuture<String> result = new CompletableFuture<>();
            results.add(result);
            AwsAttributes.WireMessage wire = AwsAttributes.toWire(batch.get(i));
            if (wire.size() > MAX_MESSAGE_BYTES) {
                result.completeExceptionally(tooLarge(batch.get(i), wire.size()));
                continue;
            }
            String id = Integer.toString(i);
            entries.add(entry(id, batch.get(i), wire));
            byEntryId.put(id, result);
        }
        if (!entries.isEmpty()) {
            Supplier<PublishBatchResponse> call = () -> clients.sns().publishBatch(b -> b.topicArn(topology.topicArn(topic))
                    .publishBatchRequestEntries(entries));
            (options.fifo() ? inPublishOrder(topic, call) : CompletableFuture.supplyAsync(call, executor))
                    .whenComplete((response, error) -> complete(response, error, byEntryId));
        }
        return results;
    }

    /**
     * Runs a FIFO topic's publish calls one after another, in the order they were sent: SNS orders a message
     * group by arrival, so two batches in flight at once could swap a key's events. A failed call does not
     * hold back the next.
     */
    private CompletableFuture<PublishBatchResponse> inPublishOrder(String topic, Supplier<PublishBatchResponse> call) {
        List<CompletableFuture<PublishBatchResponse>> started = new ArrayList<>(1);
        fifoTails.compute(topic, (t, tail) -> {
            CompletableFuture<PublishBatchResponse> next = (tail == null ? CompletableFuture.completedFuture(null) : tail)
                    .handleAsync((previous, error) -> call.get(), executor);
            started.add(next);
            return next.handle((response, error) -> null);
        });
        return started.get(0);
    }

    private PublishBatchRequestEntry entry(String id, EventEnvelope envelope, AwsAttributes.WireMessage wire) {
        Map<String, software.amazon.awssdk.services.sns.model.MessageAttributeValue> attributes = new HashMap<>();
        wire.attributes().forEach((name, value) -> attributes.put(name,
                software.amazon.awssdk.services.sns.model.MessageAttributeValue.builder().dataType("String").stringValue(value).build()));
        PublishBatchRequestEntry.Builder entry = PublishBatchRequestEntry.builder().id(id).message(wire.body())
                .messageAttributes(attributes);
        if (options.fifo()) {
            entry.messageGroupId(groupId(envelope)).messageDeduplicationId(deduplicationId(envelope));
        }
        return entry.build();
    }

    private static void complete(PublishBatchResponse response, Throwable error, Map<String, CompletableFuture<String>> byEntryId) {
        if (error != null) {
            MessagingException failure = AwsErrors.classify(error);
            byEntryId.values().forEach(f -> f.completeExceptionally(failure));
            return;
        }
        response.successful().forEach(ok -> byEntryId.get(ok.id()).complete(ok.messageId()));
        response.failed().forEach(failed -> byEntryId.get(failed.id()).completeExceptionally(AwsErrors.fromCode(failed.code(),
                Boolean.TRUE.equals(failed.senderFault()) ? 400 : 500, failed.message(), null)));
    }

    /** Sends one envelope straight to a queue (dead letters); completes when SQS accepted it. */
    CompletableFuture<Void> sendToQueue(String queueUrl, EventEnvelope envelope) {
        AwsAttributes.WireMessage wire = AwsAttributes.toWire(envelope);
        Map<String, software.amazon.awssdk.services.sqs.model.MessageAttributeValue> attributes = new HashMap<>();
        wire.attributes().forEach((name, value) -> attributes.put(name,
                software.amazon.awssdk.services.sqs.model.MessageAttributeValue.builder().dataType("String").stringValue(value).build()));
        return CompletableFuture.runAsync(() -> clients.sqs().sendMessage(b -> {
            b.queueUrl(queueUrl).messageBody(wire.body()).messageAttributes(attributes);
            if (options.fifo()) {
                b.messageGroupId(groupId(envelope)).messageDeduplicationId(deduplicationId(envelope));
            }
        }), executor).exceptionally(error -> {
            throw AwsErrors.classify(error);
        });
    }

    @Override
    public void ensureTopic(String topic) {
        checkOpen();
        try {
            topology.topicArn(topic);
        } catch (RuntimeException e) {
            throw AwsErrors.classify(e);
        }
    }

    @Override
    public SubscriberDriver subscribe(ReceiverSpec spec) {
        checkOpen();
        try {
            String deadLetterName = AwsNames.queue(options.namePrefix(), spec.deadLetterDestination(), options.fifo());
            String deadLetterUrl = topology.queueUrl(deadLetterName, Map.of());
            if (spec.source() == ReceiverSpec.Source.DEAD_LETTERS) {
                return new SqsReceiver(this, clients, options, deadLetterUrl, deadLetterName, deadLetterUrl, spec.maxInFlight(),
                        false);
            }
            String queueName = AwsNames.groupQueue(options.namePrefix(), spec.topic(), spec.group(), options.fifo());
            String queueUrl = topology.groupQueue(spec.topic(), queueName, deadLetterUrl, spec.eventTypes());
            return new SqsReceiver(this, clients, options, queueUrl, queueName, deadLetterUrl, spec.maxInFlight(), true);
        } catch (RuntimeException e) {
            throw AwsErrors.classify(e);
        }
    }

    @Override
    public MessagingException classify(Throwable failure) {
        return AwsErrors.classify(failure);
    }

    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        if (type.isInstance(clients.sns())) {
            return Optional.of(type.cast(clients.sns()));
        }
        if (type.isInstance(clients.sqs())) {
            return Optional.of(type.cast(clients.sqs()));
        }
        return type.isInstance(options) ? Optional.of(type.cast(options)) : super.unwrap(type);
    }

    @Override
    protected void closeClients() {
        executor.shutdown();
        scheduler.shutdownNow();
        clients.close();
    }

    ExecutorService executor() {
        return executor;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** FIFO message group: the partition key, so one key is one ordered group; else the id (no ordering asked). */
    private static String groupId(EventEnvelope envelope) {
        return fifoToken(envelope.partitionKey().orElse(envelope.id()));
    }

    private static String deduplicationId(EventEnvelope envelope) {
        return fifoToken(envelope.id());
    }

    /** FIFO ids are at most 128 characters of letters, digits and punctuation; anything else is hashed. */
    private static String fifoToken(String value) {
        if (value.length() <= 128 && value.chars().allMatch(c -> c > 32 && c < 127)) {
            return value;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static MessagingException tooLarge(EventEnvelope envelope, int size) {
        return new MessagingException(ErrorCode.INVALID_ARGUMENT, "event " + envelope.id() + " (" + envelope.type()
                + ") is " + size + " bytes on SNS (body and attributes; binary payloads travel base64-encoded), more than"
                + " its limit of " + MAX_MESSAGE_BYTES + " bytes");
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
