package dev.switchboard.aws.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.EventEnvelope;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

class SqsDeliveryTest {

    @Test
    void aReceivedMessageDecodesToTheEnvelopeThatWasSent() {
        EventEnvelope sent = EventEnvelope.builder().id("e-1").source("/orders").type("order.placed").partitionKey("order-7")
                .dataContentType("application/json").data("{\"n\":1}").build();

        SqsDelivery delivery = new SqsDelivery(message(AwsAttributes.toWire(sent), "3"), "q");

        assertThat(delivery.partitionKey()).contains("order-7");
        assertThat(delivery.attempt()).isEqualTo(3);
        assertThat(delivery.malformation()).isEmpty();
        assertThat(delivery.envelope()).isEqualTo(sent);
        assertThat(delivery.partitionKey()).contains("order-7");
    }

    @Test
    void aForeignPartitionKeyAttributeIsReadThroughTheFullDecode() {
        Map<String, String> attributes = new HashMap<>(Map.of("ce_id", "f-1", "ce_type", "t", "ce_partitionkey", "foreign"));

        SqsDelivery delivery = new SqsDelivery(message(new AwsAttributes.WireMessage("{}", attributes), null), "q");

        assertThat(delivery.partitionKey()).contains("foreign");
        assertThat(delivery.attempt()).isEqualTo(1);
    }

    @Test
    void aMalformedCeMoreHasNoPartitionKeyAndIsReportedByTheDecode() {
        Map<String, String> attributes = Map.of("ce_id", "m-1", "ce_type", "t", "ce_more", "{not json");

        SqsDelivery delivery = new SqsDelivery(message(new AwsAttributes.WireMessage("{}", attributes), null), "q");

        assertThat(delivery.partitionKey()).isEmpty();
        assertThat(delivery.malformation()).hasValueSatisfying(reason -> assertThat(reason).contains("ce_more"));
    }

    private static Message message(AwsAttributes.WireMessage wire, String receiveCount) {
        Map<String, MessageAttributeValue> attributes = new HashMap<>();
        wire.attributes().forEach((name, value) ->
                attributes.put(name, MessageAttributeValue.builder().dataType("String").stringValue(value).build()));
        Message.Builder message = Message.builder().messageId("sqs-id").receiptHandle("handle").body(wire.body())
                .messageAttributes(attributes);
        if (receiveCount != null) {
            message.attributes(Map.of(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, receiveCount));
        }
        return message.build();
    }
}
