package dev.switchboard.aws.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.EventEnvelope;
import dev.switchboard.Payload;
import dev.switchboard.internal.binding.CloudEventsBinding;
import dev.switchboard.spi.OutboundMessage;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AwsAttributesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void anEnvelopeWithTwentyExtensionsTakesAtMostTenAttributes() throws Exception {
        EventEnvelope envelope = fullEnvelope();

        AwsAttributes.WireMessage wire = write(envelope);

        assertThat(wire.attributes()).hasSizeLessThanOrEqualTo(10);
        assertThat(wire.attributes()).containsEntry("ce_type", "com.example.order.placed")
                .containsEntry("ce_id", "order-42")
                .containsEntry("ce_specversion", "1.0")
                .containsEntry("ce_source", "/orders")
                .containsEntry("ce_traceparent", TRACEPARENT)
                .containsEntry("content-type", "application/json")
                .containsKey("ce_time")
                .containsKey("ce_more")
                .doesNotContainKeys("ce_subject", "ce_dataschema", "ce_ext01", "ce_partitionkey");
        Map<String, String> more = more(wire);
        assertThat(more).containsEntry("subject", "")
                .containsEntry("dataschema", "https://example.com/schemas/order.json")
                .containsEntry("partitionkey", "order-42")
                .containsAllEntriesOf(twentyExtensions());
        assertThat(wire.body()).isEqualTo("{\"id\":\"order-42\"}");
    }

    /** The attributes and body of 0.1.0-SNAPSHOT before the wire SPI, byte for byte: consumers out there read them. */
    @Test
    void theWireFormatIsTheOneConsumersAlreadyRead() {
        EventEnvelope envelope = EventEnvelope.builder().id("order-42").source("/orders").type("com.example.order.placed")
                .time(OffsetDateTime.of(2024, 2, 29, 23, 59, 58, 123_456_789, ZoneOffset.ofHours(2)))
                .subject("").dataContentType("application/json").dataSchema("https://example.com/schemas/order.json")
                .traceParent(TRACEPARENT).partitionKey("key 42.ü").extension("tenant", "acme").extension("blank", "")
                .extension("quoted", "{\"a\":\"\\\\b\"}").data("{\"id\":\"order-42\"}").build();

        AwsAttributes.WireMessage wire = write(envelope);
        AwsAttributes.WireMessage binary = write(EventEnvelope.builder().id("b").source("/s").type("t")
                .data(new byte[] {0, (byte) 0xff, 1}).build());
        AwsAttributes.WireMessage empty = write(EventEnvelope.builder().id("n").source("/s").type("t").build());

        assertThat(wire.attributes()).containsOnly(Map.entry("ce_specversion", "1.0"), Map.entry("ce_id", "order-42"),
                Map.entry("ce_source", "/orders"), Map.entry("ce_type", "com.example.order.placed"),
                Map.entry("ce_time", "2024-02-29T23:59:58.123456789+02:00"), Map.entry("ce_traceparent", TRACEPARENT),
                Map.entry("content-type", "application/json"),
                Map.entry("ce_more", "{\"blank\":\"\",\"dataschema\":\"https://example.com/schemas/order.json\","
                        + "\"partitionkey\":\"key 42.ü\",\"quoted\":\"{\\\"a\\\":\\\"\\\\\\\\b\\\"}\",\"subject\":\"\","
                        + "\"tenant\":\"acme\"}"));
        assertThat(wire.body()).isEqualTo("{\"id\":\"order-42\"}");
        assertThat(binary.attributes()).containsOnly(Map.entry("ce_specversion", "1.0"), Map.entry("ce_id", "b"),
                Map.entry("ce_source", "/s"), Map.entry("ce_type", "t"), Map.entry("ce_dataencoding", "base64"));
        assertThat(binary.body()).isEqualTo("AP8B");
        assertThat(empty.attributes()).containsEntry("ce_dataencoding", "empty").hasSize(5);
        assertThat(empty.body()).isEqualTo("-");
    }

    @Test
    void anEnvelopeRoundTripsThroughSqsAsTheCoreReadsIt() {
        EventEnvelope envelope = fullEnvelope();

        CloudEventsBinding.Read read = SqsMessages.decode(SqsMessages.delivered(envelope));

        assertThat(read.malformation()).isEmpty();
        assertThat(read.envelope().extensions()).isEqualTo(envelope.extensions());
        assertThat(read.envelope().subject()).contains("");
        assertThat(read.envelope()).isEqualTo(envelope);
    }

    @Test
    void aSubjectThatIsNotEmptyIsARealAttribute() {
        EventEnvelope envelope = EventEnvelope.builder().id("s-1").source("/s").type("t").subject("orders/42").build();

        AwsAttributes.WireMessage wire = write(envelope);

        assertThat(wire.attributes()).containsEntry("ce_subject", "orders/42");
    }

    @Test
    void emptyValuedAttributesTravelInsideCeMore() throws Exception {
        EventEnvelope envelope = EventEnvelope.builder().id("e-1").source("/s").type("t").subject("")
                .extension("blank", "").extension("kept", "value").data("x").build();

        AwsAttributes.WireMessage wire = write(envelope);
        EventEnvelope back = SqsMessages.decode(SqsMessages.delivered(envelope)).envelope();

        assertThat(wire.attributes().values()).doesNotContain("");
        assertThat(more(wire)).containsEntry("blank", "").containsEntry("subject", "").containsEntry("kept", "value");
        assertThat(back.extensions()).containsEntry("blank", "").containsEntry("kept", "value");
        assertThat(back).isEqualTo(envelope);
    }

    @Test
    void binaryPayloadsTravelAsBase64() {
        byte[] data = new byte[256];
        IntStream.range(0, 256).forEach(i -> data[i] = (byte) i);
        EventEnvelope envelope = EventEnvelope.builder().id("b-1").source("/s").type("t").data(data).build();

        AwsAttributes.WireMessage wire = write(envelope);
        EventEnvelope back = SqsMessages.decode(SqsMessages.delivered(envelope)).envelope();

        assertThat(wire.attributes()).containsEntry("ce_dataencoding", "base64");
        assertThat(AwsAttributes.isSqsText(wire.body().getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(back.data()).isEqualTo(data);
    }

    @Test
    void anEmptyPayloadTravelsAsAPlaceholderBody() {
        EventEnvelope envelope = EventEnvelope.builder().id("n-1").source("/s").type("t").build();

        AwsAttributes.WireMessage wire = write(envelope);
        EventEnvelope back = SqsMessages.decode(SqsMessages.delivered(envelope)).envelope();

        assertThat(wire.body()).isNotEmpty();
        assertThat(wire.attributes()).containsEntry("ce_dataencoding", "empty");
        assertThat(back.dataLength()).isZero();
        assertThat(back).isEqualTo(envelope);
    }

    @Test
    void aCeMoreThatIsNotAJsonObjectOfStringsIsTheExtensionMoreUnchanged() {
        Map<String, String> notJson = AwsAttributes.unpackMore("{not json");
        Map<String, String> array = AwsAttributes.unpackMore("[\"a\",\"b\"]");
        Map<String, String> jsonNull = AwsAttributes.unpackMore("null");

        assertThat(notJson).containsExactly(Map.entry("more", "{not json"));
        assertThat(array).containsExactly(Map.entry("more", "[\"a\",\"b\"]"));
        assertThat(jsonNull).containsExactly(Map.entry("more", "null"));
    }

    @Test
    void aMessageWithoutAttributesIsAForeignEventWithTheSqsMessageId() {
        SqsDelivery delivery = new SqsDelivery(SqsMessages.message(new AwsAttributes.WireMessage("hello from elsewhere", Map.of()), null));

        CloudEventsBinding.Read read = SqsMessages.decode(delivery);

        assertThat(read.malformation()).isEmpty();
        assertThat(read.envelope().type()).isEqualTo(CloudEventsBinding.FOREIGN_TYPE);
        assertThat(read.envelope().id()).isEqualTo(SqsMessages.MESSAGE_ID);
        assertThat(read.envelope().source()).isEqualTo("sns-sqs:topic");
        assertThat(read.envelope().dataAsString()).isEqualTo("hello from elsewhere");
    }

    @Test
    void aBodyMislabelledAsBase64ArrivesAsItCame() {
        Payload payload = AwsAttributes.readBody("QUJDR", "base64");

        assertThat(payload.asString()).isEqualTo("QUJDR");
    }

    @Test
    void isSqsTextRejectsNul() {
        byte[] withNul = "a\u0000b".getBytes(StandardCharsets.UTF_8);

        boolean text = AwsAttributes.isSqsText(withNul);

        assertThat(text).isFalse();
    }

    @Test
    void isSqsTextRejectsALoneSurrogateAndInvalidUtf8() {
        byte[] loneSurrogate = {'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80, 'b'};
        byte[] truncated = {'a', (byte) 0xC3};
        byte[] overlong = {(byte) 0xC0, (byte) 0xAF};
        byte[] notCharacter = "\uFFFE".getBytes(StandardCharsets.UTF_8);

        assertThat(AwsAttributes.isSqsText(loneSurrogate)).isFalse();
        assertThat(AwsAttributes.isSqsText(truncated)).isFalse();
        assertThat(AwsAttributes.isSqsText(overlong)).isFalse();
        assertThat(AwsAttributes.isSqsText(notCharacter)).isFalse();
    }

    @Test
    void isSqsTextAcceptsJsonWithUnicode() {
        byte[] json = "{\"name\":\"Grüße 日本語 😀\",\"tab\":\"\t\",\"lines\":\"a\r\nb\"}".getBytes(StandardCharsets.UTF_8);

        boolean text = AwsAttributes.isSqsText(json);

        assertThat(text).isTrue();
    }

    @Test
    void theSizeCountsBodyAndAttributesInUtf8Bytes() {
        AwsAttributes.WireMessage wire = new AwsAttributes.WireMessage("ü", Map.of("k", "é"));

        int size = wire.size();

        assertThat(size).isEqualTo(2 + 1 + "String".length() + 2);
    }

    @Test
    void aFifoMessageGroupIsThePartitionKeyElseTheIdAndTheDeduplicationIdTheId() {
        OutboundMessage keyed = CloudEventsBinding.outbound(EventEnvelope.builder().id("e-1").source("/s").type("t")
                .partitionKey("order-7").build());
        OutboundMessage unkeyed = CloudEventsBinding.outbound(EventEnvelope.builder().id("e-2").source("/s").type("t").build());

        assertThat(AwsAttributes.groupId(keyed)).isEqualTo("order-7");
        assertThat(AwsAttributes.deduplicationId(keyed)).isEqualTo("e-1");
        assertThat(AwsAttributes.groupId(unkeyed)).isEqualTo("e-2");
    }

    @Test
    void aFifoTokenThatIsTooLongOrNotPrintableAsciiIsHashedDistinctly() {
        OutboundMessage spaced = CloudEventsBinding.outbound(EventEnvelope.builder().id("e-1").source("/s").type("t")
                .partitionKey("key 42.ü").build());
        OutboundMessage other = CloudEventsBinding.outbound(EventEnvelope.builder().id("e-1").source("/s").type("t")
                .partitionKey("key 43.ü").build());
        OutboundMessage longId = CloudEventsBinding.outbound(EventEnvelope.builder().id("x".repeat(129)).source("/s").type("t").build());

        assertThat(AwsAttributes.groupId(spaced)).matches("[0-9a-f]{64}").isNotEqualTo(AwsAttributes.groupId(other));
        assertThat(AwsAttributes.deduplicationId(longId)).matches("[0-9a-f]{64}");
    }

    private static AwsAttributes.WireMessage write(EventEnvelope envelope) {
        return AwsAttributes.write(CloudEventsBinding.outbound(envelope));
    }

    private static EventEnvelope fullEnvelope() {
        return EventEnvelope.builder()
                .id("order-42")
                .source("/orders")
                .type("com.example.order.placed")
                .time(OffsetDateTime.of(2024, 2, 29, 23, 59, 58, 123_456_789, ZoneOffset.ofHours(2)))
                .subject("")
                .dataContentType("application/json")
                .dataSchema("https://example.com/schemas/order.json")
                .traceParent(TRACEPARENT)
                .partitionKey("order-42")
                .extensions(twentyExtensions())
                .data("{\"id\":\"order-42\"}".getBytes(StandardCharsets.UTF_8))
                .build();
    }

    private static Map<String, String> twentyExtensions() {
        Map<String, String> extensions = new LinkedHashMap<>();
        for (int i = 1; i <= 20; i++) {
            extensions.put(String.format("ext%02d", i), switch (i % 5) {
                case 0 -> "";
                case 1 -> "ünïcödé 日本語 😀 " + i;
                case 2 -> "dotted.value." + i;
                case 3 -> "  spaced value " + i + "  ";
                default -> "plain-" + i;
            });
        }
        return extensions;
    }

    private static Map<String, String> more(AwsAttributes.WireMessage wire) throws Exception {
        return JSON.readValue(wire.attributes().get("ce_more"), new TypeReference<Map<String, String>>() {
        });
    }
}
