package dev.switchboard.rabbitmq.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.LongStringHelper;
import dev.switchboard.Payload;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A received AMQP message as the core reads it: headers, content type, body, transport id and attempt. */
class RabbitMqDeliveryTest {
    private final AckCoalescer acks = new AckCoalescer((deliveryTag, multiple, requeue) -> { }, 1);
    private long tag;

    private RabbitMqDelivery delivery(AMQP.BasicProperties properties, String body) {
        return new RabbitMqDelivery(acks, acks.delivered(++tag), properties, Payload.of(body), 1);
    }

    private static AMQP.BasicProperties.Builder foreign(Map<String, Object> headers) {
        return new AMQP.BasicProperties.Builder().timestamp(new Date(1_700_000_000_000L)).headers(headers);
    }

    @Test
    void onlyTheCloudEventsHeadersArePassedAndAsText() {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("cloudEvents:id", LongStringHelper.asLongString("e-1"));
        headers.put("cloudEvents:sequence", 42);
        headers.put("cloudEvents:empty", null);
        headers.put("x-death", List.of(Map.of("count", 1L)));
        headers.put("CLOUDEVENTS:type", LongStringHelper.asLongString("not ours"));
        RabbitMqDelivery d = delivery(new AMQP.BasicProperties.Builder().contentType("application/json").messageId("m-1")
                .headers(headers).build(), "{}");
        Map<String, String> passed = new HashMap<>();

        d.forEachHeader(passed::put);

        assertThat(passed).containsOnly(Map.entry("cloudEvents:id", "e-1"), Map.entry("cloudEvents:sequence", "42"));
        assertThat(d.contentType()).isEqualTo("application/json");
        assertThat(d.body()).isEqualTo(Payload.of("{}"));
        assertThat(d.key()).as("the core reads cloudEvents:partitionkey").isNull();
    }

    @Test
    void theTransportIdIsTheMessageId() {
        RabbitMqDelivery d = delivery(new AMQP.BasicProperties.Builder().messageId("m-7").build(), "x");

        assertThat(d.transportId()).isEqualTo("m-7");
    }

    @Test
    void withoutAMessageIdTheTransportIdStaysTheSameAcrossRedeliveryAndRetry() {
        Map<String, Object> published = new HashMap<>(Map.of("origin", LongStringHelper.asLongString("legacy")));
        Map<String, Object> redelivered = new HashMap<>(published);
        redelivered.put("x-delivery-count", 2L);
        redelivered.put("x-death", List.of(Map.of("count", 1L, "reason", "expired")));
        redelivered.put("switchboard-attempt", 3);
        redelivered.put("switchboard-publish-seq", 17L);

        String first = delivery(foreign(published).build(), "payload").transportId();
        String again = delivery(foreign(redelivered).build(), "payload").transportId();

        assertThat(first).isNotBlank().isEqualTo(again);
    }

    @Test
    void withoutAMessageIdDifferentMessagesGetDifferentTransportIds() {
        Map<String, Object> headers = Map.of("origin", LongStringHelper.asLongString("legacy"));
        String id = delivery(foreign(headers).build(), "payload").transportId();

        assertThat(delivery(foreign(headers).build(), "other payload").transportId()).isNotEqualTo(id);
        assertThat(delivery(foreign(Map.of("origin", LongStringHelper.asLongString("billing"))).build(), "payload")
                .transportId()).isNotEqualTo(id);
        assertThat(delivery(foreign(headers).timestamp(new Date(1_700_000_000_001L)).build(), "payload").transportId())
                .isNotEqualTo(id);
    }
}
