package dev.switchboard.aws.internal;

import dev.switchboard.EventEnvelope;
import dev.switchboard.internal.binding.CloudEventsBinding;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** SQS messages as a queue hands them out, built from wire messages, for tests of the receiving side. */
final class SqsMessages {
    static final String MESSAGE_ID = "sqs-message-id";

    private SqsMessages() {
    }

    /** What SQS hands out for {@code envelope} as the driver publishes it, first receive. */
    static SqsDelivery delivered(EventEnvelope envelope) {
        return new SqsDelivery(message(AwsAttributes.write(CloudEventsBinding.outbound(envelope)), null));
    }

    /** The message SQS hands out for {@code wire}; {@code receiveCount} may be null (not reported). */
    static Message message(AwsAttributes.WireMessage wire, String receiveCount) {
        Map<String, MessageAttributeValue> attributes = new HashMap<>();
        wire.attributes().forEach((name, value) ->
                attributes.put(name, MessageAttributeValue.builder().dataType("String").stringValue(value).build()));
        Message.Builder message = Message.builder().messageId(MESSAGE_ID).receiptHandle("handle").body(wire.body())
                .messageAttributes(attributes);
        if (receiveCount != null) {
            message.attributes(Map.of(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, receiveCount));
        }
        return message.build();
    }

    /** The envelope the core reads from {@code delivery}. */
    static CloudEventsBinding.Read decode(SqsDelivery delivery) {
        return CloudEventsBinding.decode(delivery, AwsAttributes.PREFIX, "sns-sqs:topic");
    }
}
