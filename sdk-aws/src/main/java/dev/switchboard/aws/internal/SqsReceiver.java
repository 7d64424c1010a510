package dev.switchboard.aws.internal;

import dev.switchboard.Connectivity;
import dev.switchboard.aws.AwsOptions;
import dev.switchboard.spi.Batching;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.OutboundMessage;
import dev.switchboard.spi.ReceiverDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Receives one SQS queue and settles its messages: a receive is one long poll (up to 10 messages, the wait in
 * whole seconds), an ack one DeleteMessageBatch, a nack one ChangeMessageVisibilityBatch to the redelivery
 * delay (SQS redelivers then, with {@code ApproximateReceiveCount} one higher), a dead letter one SendMessage
 * to the dead-letter queue (SQS's own redrive cannot add diagnostics; it stays as a safety net).
 *
 * <p>SDK calls block, so they run on the driver's threads; {@link #receive} waits for its call. An
 * interrupted receive returns at once and leaves its call to finish alone, which gives whatever it took back to
 * the queue (visibility 0): the SDK would throw away a response that arrives on an interrupted thread, leaving
 * its messages invisible for the visibility timeout. A receive that is not interrupted leaves no poll behind,
 * so a short-lived reader (dead letters) that closes cannot have a message taken away from the next one.
 *
 * <p>While a message is held (handed out, not settled) its visibility is extended every third of the
 * visibility timeout, so that a long handler does not see it redelivered to another member. Thread-safe.
 */
final class SqsReceiver implements ReceiverDriver {
    private static final Logger log = LoggerFactory.getLogger(SqsReceiver.class);
    private static final Batching SETTLEMENT = new Batching(SnsPublisher.MAX_BATCH, 4);

    private final AwsClients clients;
    private final AwsOptions options;
    private final Executor calls;
    private final Executor polls;
    private final String queueUrl;
    private final String queueName;
    private final String deadLetterUrl;
    private final int concurrentReceives;
    private final Set<SqsDelivery> held = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> heartbeat;
    private final Reachability reachability;

    SqsReceiver(AwsClients clients, AwsOptions options, Executor calls, Executor polls, ScheduledExecutorService scheduler,
                String queueUrl, String queueName, String deadLetterUrl, int concurrentReceives) {
        this.clients = clients;
        this.options = options;
        this.calls = calls;
        this.polls = polls;
        this.queueUrl = queueUrl;
        this.queueName = queueName;
        this.deadLetterUrl = deadLetterUrl;
        this.concurrentReceives = concurrentReceives;
        this.reachability = new Reachability(clients.connectTimeout());
        long beat = Math.max(1, options.visibilityTimeout().toMillis() / 3);
        this.heartbeat = scheduler.scheduleWithFixedDelay(() -> calls.execute(this::extendVisibility), beat, beat,
                TimeUnit.MILLISECONDS);
    }

    /** SQS charges per receive call and long-polls: a subscription waits up to {@code sqs.wait-time} (20 s). */
    @Override
    public Duration preferredWait() {
        return options.waitTime();
    }

    @Override
    public List<SqsDelivery> receive(int max, Duration maxWait) throws InterruptedException {
        int count = Math.min(SnsPublisher.MAX_BATCH, max);
        int waitSeconds = (int) Math.min(options.waitTime().toSeconds(), (maxWait.toMillis() + 999) / 1000);
        CompletableFuture<List<Message>> call = CompletableFuture.supplyAsync(() -> reachability.call(
                Duration.ofSeconds(waitSeconds), () -> clients.sqs().receiveMessage(b -> b.queueUrl(queueUrl)
                        .maxNumberOfMessages(count).waitTimeSeconds(waitSeconds).messageAttributeNames("All")
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages()),
                polls);
        List<Message> messages;
        try {
            messages = call.get();
        } catch (InterruptedException e) {
            call.thenAccept(late -> changeVisibility(late.stream().map(SqsDelivery::new).toList(), 0));
            throw e;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new CompletionException(e.getCause());
        }
        List<SqsDelivery> deliveries = new ArrayList<>(messages.size());
        for (Message message : messages) {
            SqsDelivery delivery = new SqsDelivery(message);
            held.add(delivery);
            deliveries.add(delivery);
        }
        return deliveries;
    }

    /** Up to 4 by default, one per 10 messages the core may hold. */
    @Override
    public int maxConcurrentReceives() {
        return concurrentReceives;
    }

    @Override
    public Batching settlementBatching() {
        return SETTLEMENT;
    }

    @Override
    public CompletableFuture<Void> ack(List<InboundMessage> messages) {
        return eachBatch(release(messages), batch -> {
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(batch.get(i).receiptHandle()).build());
            }
            var response = clients.sqs().deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            return failIfAnyFailed(response.failed());
        });
    }

    /** The delay in whole seconds, up to SQS's 12 hours. */
    @Override
    public CompletableFuture<Void> nack(List<InboundMessage> messages, Duration delay) {
        int seconds = (int) Math.min(AwsOptions.MAX_VISIBILITY.toSeconds(), (delay.toMillis() + 999) / 1000);
        return changeVisibility(release(messages), seconds);
    }

    @Override
    public CompletableFuture<Void> deadLetter(InboundMessage original, OutboundMessage deadLetter) {
        AwsAttributes.WireMessage wire = AwsAttributes.write(deadLetter);
        Map<String, MessageAttributeValue> attributes = new HashMap<>();
        wire.attributes().forEach((name, value) ->
                attributes.put(name, MessageAttributeValue.builder().dataType("String").stringValue(value).build()));
        return CompletableFuture.runAsync(() -> clients.sqs().sendMessage(b -> {
            b.queueUrl(deadLetterUrl).messageBody(wire.body()).messageAttributes(attributes);
            if (options.fifo()) {
                b.messageGroupId(AwsAttributes.groupId(deadLetter)).messageDeduplicationId(AwsAttributes.deduplicationId(deadLetter));
            }
        }), calls);
    }

    /**
     * Whether SQS answered this receiver's last call, or leaves one unanswered for longer than its long poll plus
     * the connect timeout (see {@link Reachability}): HTTP keeps no connection whose state could be asked.
     */
    @Override
    public Connectivity connectivity() {
        return reachability.get();
    }

    /**
     * The queue's approximate visible plus not visible (received, not deleted) messages, from one
     * GetQueueAttributes call bounded by the connect timeout. SQS updates these counts with a delay of up to a
     * minute.
     */
    @Override
    public OptionalLong lag() {
        Map<QueueAttributeName, String> counts = reachability.call(Duration.ZERO, () -> clients.sqs()
                .getQueueAttributes(b -> b.queueUrl(queueUrl)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)
                        .overrideConfiguration(o -> o.apiCallTimeout(clients.connectTimeout())))
                .attributes());
        return OptionalLong.of(count(counts, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
                + count(counts, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    private static long count(Map<QueueAttributeName, String> attributes, QueueAttributeName name) {
        return Long.parseLong(attributes.getOrDefault(name, "0"));
    }

    /** Stops the heartbeat; messages still held reappear after their visibility timeout. */
    @Override
    public void close() {
        heartbeat.cancel(false);
    }

    private List<SqsDelivery> release(List<InboundMessage> messages) {
        List<SqsDelivery> deliveries = new ArrayList<>(messages.size());
        for (InboundMessage message : messages) {
            SqsDelivery delivery = (SqsDelivery) message;
            held.remove(delivery);
            deliveries.add(delivery);
        }
        return deliveries;
    }

    private void extendVisibility() {
        changeVisibility(new ArrayList<>(held), (int) options.visibilityTimeout().toSeconds()).whenComplete((ok, error) -> {
            if (error != null) {
                log.debug("{}: extending visibility failed: {}", queueName, error.toString());
            }
        });
    }

    private CompletableFuture<Void> changeVisibility(List<SqsDelivery> deliveries, int seconds) {
        return eachBatch(deliveries, batch -> {
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(batch.get(i).receiptHandle()).visibilityTimeout(seconds).build());
            }
            var response = clients.sqs().changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(entries));
            return failIfAnyFailed(response.failed());
        });
    }

    /** One batch call per 10 deliveries, on the driver's threads; completes when all did, failed if any failed. */
    private CompletableFuture<Void> eachBatch(List<SqsDelivery> deliveries, Function<List<SqsDelivery>, Void> call) {
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int from = 0; from < deliveries.size(); from += SnsPublisher.MAX_BATCH) {
            List<SqsDelivery> batch = deliveries.subList(from, Math.min(deliveries.size(), from + SnsPublisher.MAX_BATCH));
            sent.add(CompletableFuture.supplyAsync(() -> call.apply(batch), calls));
        }
        return sent.size() == 1 ? sent.get(0) : CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
    }

    /** A batch call answers per entry: the first failed entry fails the call, as its native error. */
    private static Void failIfAnyFailed(List<BatchResultErrorEntry> failed) {
        if (!failed.isEmpty()) {
            BatchResultErrorEntry first = failed.get(0);
            throw AwsErrors.entryFailure("SQS", first.code(), first.senderFault(), failed.size() + " of the call's entries"
                    + " failed, the first: " + first.message());
        }
        return null;
    }
}
