package dev.switchboard.aws.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.EventEnvelope;
import dev.switchboard.internal.binding.CloudEventsBinding;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

class SqsDeliveryTest {
    private static final EventEnvelope SENT = EventEnvelope.builder().id("e-1").source("/orders").type("order.placed")
            .partitionKey("order-7").extension("tenant", "acme").dataContentType("application/json").data("{\"n\":1}").build();

    @Test
    void aReceivedMessageDecodesToTheEnvelopeThatWasSent() {
        SqsDelivery delivery = new SqsDelivery(SqsMessages.message(AwsAttributes.write(CloudEventsBinding.outbound(SENT)), "3"));

        CloudEventsBinding.Read read = SqsMessages.decode(delivery);

        assertThat(CloudEventsBinding.partitionKey(delivery, AwsAttributes.PREFIX)).isEqualTo("order-7");
        assertThat(delivery.attempt()).isEqualTo(3);
        assertThat(delivery.transportId()).isEqualTo(SqsMessages.MESSAGE_ID);
        assertThat(read.malformation()).isEmpty();
        assertThat(read.envelope()).isEqualTo(SENT);
    }

    @Test
    void theHeadersAreCeMoreUnpackedWithoutTheTransportsOwnAttributes() {
        SqsDelivery delivery = SqsMessages.delivered(SENT);
        Map<String, String> headers = new LinkedHashMap<>();

        delivery.forEachHeader(headers::put);

        assertThat(headers).containsEntry("ce_id", "e-1").containsEntry("ce_type", "order.placed")
                .containsEntry("ce_partitionkey", "order-7").containsEntry("ce_tenant", "acme")
                .doesNotContainKeys("ce_more", "content-type", "ce_dataencoding");
        assertThat(delivery.contentType()).isEqualTo("application/json");
        assertThat(delivery.body().asString()).isEqualTo("{\"n\":1}");
        assertThat(delivery.attempt()).isEqualTo(1);
    }

    @Test
    void aForeignPartitionKeyAttributeIsTheOrderingKey() {
        Map<String, String> attributes = Map.of("ce_id", "f-1", "ce_type", "t", "ce_partitionkey", "foreign");

        SqsDelivery delivery = new SqsDelivery(SqsMessages.message(new AwsAttributes.WireMessage("{}", attributes), null));

        assertThat(CloudEventsBinding.partitionKey(delivery, AwsAttributes.PREFIX)).isEqualTo("foreign");
    }

    @Test
    void aBinaryAttributeIsReadAsBase64Text() {
        Message message = Message.builder().messageId("m").receiptHandle("h").body("x").messageAttributes(Map.of("ce_blob",
                MessageAttributeValue.builder().dataType("Binary").binaryValue(SdkBytes.fromUtf8String("hi")).build())).build();
        Map<String, String> headers = new LinkedHashMap<>();

        new SqsDelivery(message).forEachHeader(headers::put);

        assertThat(headers).containsExactly(Map.entry("ce_blob", "aGk="));
    }

    @Test
    void theNativeMessageIsAvailable() {
        SqsDelivery delivery = SqsMessages.delivered(SENT);

        assertThat(delivery.unwrap(Message.class)).hasValueSatisfying(m -> assertThat(m.receiptHandle()).isEqualTo("handle"));
        assertThat(delivery.unwrap(String.class)).isEmpty();
    }
}
