package dev.switchboard.aws.internal;

import dev.switchboard.spi.CloudEventAttributes;
import dev.switchboard.spi.LazyDelivery;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * One received SQS message. The envelope is decoded on first use (see {@link LazyDelivery}) — not on the
 * receiver's thread — and the partition key is read from {@code ce_more} alone (see
 * {@link AwsAttributes#partitionKeyInMore}). Identity equality: a delivery is one hand-out of a message.
 * Thread-safe.
 */
final class SqsDelivery extends LazyDelivery {
    private final Message message;
    private final String queueName;

    /** The attempt is SQS's {@code ApproximateReceiveCount}, 1 if it is missing. */
    SqsDelivery(Message message, String queueName) {
        super(receiveCount(message), null);
        this.message = message;
        this.queueName = queueName;
    }

    private static int receiveCount(Message message) {
        String count = message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        return count == null ? 1 : Integer.parseInt(count);
    }

    /** What SQS needs to delete the message or change its visibility. */
    String receiptHandle() {
        return message.receiptHandle();
    }

    @Override
    public Optional<String> partitionKey() {
        CloudEventAttributes.Read decoded = decodedOrNull();
        if (decoded != null) {
            return decoded.envelope().partitionKey();
        }
        Map<String, String> attributes = attributes();
        return AwsAttributes.partitionKeyOnlyInMore(attributes) ? AwsAttributes.partitionKeyInMore(attributes)
                : envelope().partitionKey();
    }

    @Override
    protected CloudEventAttributes.Read decode() {
        return AwsAttributes.fromWire(new AwsAttributes.WireMessage(message.body(), attributes()),
                message.messageId(), "sqs:" + queueName);
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
