package dev.switchboard.aws.internal;

import dev.switchboard.Connectivity;
import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;
import dev.switchboard.aws.AwsOptions;
import dev.switchboard.spi.Batching;
import dev.switchboard.spi.OutboundMessage;
import dev.switchboard.spi.PublisherDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;

/**
 * Publishes with SNS PublishBatch, one call per batch the core hands over (up to 10 entries, up to 8 calls at
 * once per topic; on FIFO topics one call at a time, so that a message group keeps the publish order). The
 * SDK call blocks, so it runs on the driver's threads. Thread-safe.
 */
final class SnsPublisher implements PublisherDriver {
    /** SNS's limit for a message, body and attributes together. */
    static final int MAX_MESSAGE_BYTES = 256 * 1024;
    static final int MAX_BATCH = 10;
    private static final int CONCURRENT_CALLS = 8;

    private final AwsClients clients;
    private final Topology topology;
    private final Executor calls;
    private final boolean fifo;
    private final Batching batching;
    private final Reachability reachability;

    SnsPublisher(AwsClients clients, Topology topology, AwsOptions options, Executor calls) {
        this.clients = clients;
        this.topology = topology;
        this.calls = calls;
        this.fifo = options.fifo();
        this.batching = new Batching(MAX_BATCH, fifo ? 1 : CONCURRENT_CALLS);
        this.reachability = new Reachability(clients.connectTimeout());
    }

    /** Whether SNS answered the last publish (see {@link Reachability}). */
    Connectivity connectivity() {
        return reachability.get();
    }

    @Override
    public Batching batching() {
        return batching;
    }

    @Override
    public int maxMessageBytes() {
        return MAX_MESSAGE_BYTES;
    }

    /** An entry over SNS's limit once on the wire (binary payloads grow by a third in base64) fails alone. */
    @Override
    public List<CompletableFuture<String>> send(String topic, List<OutboundMessage> batch) {
        List<CompletableFuture<String>> results = new ArrayList<>(batch.size());
        List<PublishBatchRequestEntry> entries = new ArrayList<>(batch.size());
        Map<String, CompletableFuture<String>> byEntryId = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            CompletableFuture<String> result = new CompletableFuture<>();
            results.add(result);
            OutboundMessage message = batch.get(i);
            AwsAttributes.WireMessage wire = AwsAttributes.write(message);
            if (wire.size() > MAX_MESSAGE_BYTES) {
                result.completeExceptionally(tooLarge(message, wire.size()));
                continue;
            }
            String id = Integer.toString(i);
            entries.add(entry(id, message, wire));
            byEntryId.put(id, result);
        }
        if (!entries.isEmpty()) {
            CompletableFuture.supplyAsync(() -> reachability.call(Duration.ZERO, () -> clients.sns().publishBatch(b -> b
                            .topicArn(topology.topicArn(topic)).publishBatchRequestEntries(entries))), calls)
                    .whenComplete((response, error) -> complete(response, error, byEntryId));
        }
        return results;
    }

    private PublishBatchRequestEntry entry(String id, OutboundMessage message, AwsAttributes.WireMessage wire) {
        Map<String, MessageAttributeValue> attributes = new HashMap<>();
        wire.attributes().forEach((name, value) ->
                attributes.put(name, MessageAttributeValue.builder().dataType("String").stringValue(value).build()));
        PublishBatchRequestEntry.Builder entry = PublishBatchRequestEntry.builder().id(id).message(wire.body())
                .messageAttributes(attributes);
        if (fifo) {
            entry.messageGroupId(AwsAttributes.groupId(message)).messageDeduplicationId(AwsAttributes.deduplicationId(message));
        }
        return entry.build();
    }

    private static void complete(PublishBatchResponse response, Throwable error, Map<String, CompletableFuture<String>> byEntryId) {
        if (error != null) {
            byEntryId.values().forEach(f -> f.completeExceptionally(error));
            return;
        }
        response.successful().forEach(ok -> byEntryId.get(ok.id()).complete(ok.messageId()));
        response.failed().forEach(failed -> byEntryId.get(failed.id()).completeExceptionally(
                AwsErrors.entryFailure("SNS", failed.code(), failed.senderFault(), failed.message())));
    }

    private static MessagingException tooLarge(OutboundMessage message, int size) {
        return new MessagingException(ErrorCode.INVALID_ARGUMENT, "event " + message.id() + " (" + message.type()
                + ") is " + size + " bytes on SNS (body and attributes; binary payloads travel base64-encoded), more than"
                + " its limit of " + MAX_MESSAGE_BYTES + " bytes");
    }
}
