package dev.switchboard.rabbitmq.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import com.rabbitmq.client.impl.LongStringHelper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The ordering key read from the header alone is the one the full decode finds. */
class RabbitMqDeliveryTest {
    private final AckCoalescer acks = new AckCoalescer(new AckCoalescer.Frames() {
        @Override
        public void ack(long deliveryTag, boolean multiple) {
        }

        @Override
        public void requeue(long deliveryTag) {
        }
    }, 1);
    private long tag;

    private RabbitMqDelivery delivery(String contentType, Map<String, Object> headers, String body) {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType(contentType).messageId("m-1")
                .headers(headers).build();
        return new RabbitMqDelivery(acks, acks.delivered(++tag), properties, body.getBytes(StandardCharsets.UTF_8),
                "rabbitmq:q", 1);
    }

    private static LongString text(String value) {
        return LongStringHelper.asLongString(value);
    }

    private static Map<String, Object> binary(String keyHeader, String key) {
        return Map.of("cloudEvents:specversion", text("1.0"), "cloudEvents:id", text("e-1"),
                "cloudEvents:source", text("/test"), "cloudEvents:type", text("t"), keyHeader, text(key));
    }

    @Test
    void theKeyHeaderIsReadWithoutDecodingAndMatchesTheEnvelope() {
        RabbitMqDelivery d = delivery("application/json", binary("cloudEvents:partitionkey", "order-7"), "{}");

        assertThat(d.partitionKey()).contains("order-7");
        assertThat(d.envelope().partitionKey()).contains("order-7");
    }

    @Test
    void theAttributeNameIsMatchedIgnoringCaseButThePrefixIsNot() {
        assertThat(delivery("application/json", binary("cloudEvents:PartitionKey", "k"), "{}").partitionKey()).contains("k");
        RabbitMqDelivery foreignPrefix = delivery("application/json", binary("CLOUDEVENTS:partitionkey", "k"), "{}");
        assertThat(foreignPrefix.partitionKey()).isEmpty();
        assertThat(foreignPrefix.envelope().partitionKey()).isEmpty();
    }

    @Test
    void noKeyHeaderMeansNoKey() {
        assertThat(delivery("application/json", Map.of("cloudEvents:type", text("t")), "{}").partitionKey())
                .isEqualTo(Optional.empty());
        assertThat(delivery(null, null, "x").partitionKey()).isEmpty();
    }

    @Test
    void aStructuredModeMessageCarriesItsKeyInTheBody() {
        RabbitMqDelivery d = delivery("application/cloudevents+json", Map.of(),
                "{\"specversion\":\"1.0\",\"id\":\"e-2\",\"source\":\"/test\",\"type\":\"t\",\"partitionkey\":\"p-3\"}");

        assertThat(d.partitionKey()).contains("p-3");
    }
}
