package dev.switchboard.aws.internal;

import dev.switchboard.EventEnvelope;
import dev.switchboard.spi.CloudEventAttributes;
import dev.switchboard.spi.Delivery;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * One received SQS message. The envelope is decoded on first use — on the handler's thread, not the
 * receiver's — and the partition key is read from {@code ce_more} alone (see
 * {@link AwsAttributes#partitionKeyInMore}). Identity equality: a delivery is one hand-out of a message.
 * Thread-safe.
 */
final class SqsDelivery implements Delivery {
    private final Message message;
    private final String queueName;
    private final int attempt;
    private volatile CloudEventAttributes.Read read;

    SqsDelivery(Message message, String queueName) {
        this.message = message;
        this.queueName = queueName;
        String count = message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        this.attempt = count == null ? 1 : Integer.parseInt(count);
    }

    /** What SQS needs to delete the message or change its visibility. */
    String receiptHandle() {
        return message.receiptHandle();
    }

    @Override
    public EventEnvelope envelope() {
        return read().envelope();
    }

    @Override
    public Optional<String> malformation() {
        return read().malformation();
    }

    @Override
    public Optional<String> partitionKey() {
        CloudEventAttributes.Read decoded = read;
        if (decoded != null) {
            return decoded.envelope().partitionKey();
        }
        Map<String, String> attributes = attributes();
        return AwsAttributes.partitionKeyOnlyInMore(attributes) ? AwsAttributes.partitionKeyInMore(attributes)
                : envelope().partitionKey();
    }

    /** SQS's {@code ApproximateReceiveCount}, 1 if it is missing. */
    @Override
    public int attempt() {
        return attempt;
    }

    /** Decoding is deterministic, so two threads racing here build equal envelopes; either may win. */
    private CloudEventAttributes.Read read() {
        CloudEventAttributes.Read current = read;
        if (current == null) {
            current = AwsAttributes.fromWire(new AwsAttributes.WireMessage(message.body(), attributes()),
                    message.messageId(), "sqs:" + queueName);
            read = current;
        }
        return current;
    }

    private Map<String, String> attributes() {
        Map<String, String> attributes = new HashMap<>();
        message.messageAttributes().forEach((name, value) -> attributes.put(name, text(value)));
        return attributes;
    }

    private static String text(MessageAttributeValue value) {
        return value.stringValue() != null ? value.stringValue()
                : value.binaryValue() != null ? Base64.getEncoder().encodeToString(value.binaryValue().asByteArray()) : "";
    }
}
