package dev.switchboard.aws.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.EventEnvelope;
import dev.switchboard.spi.CloudEventAttributes;
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

        AwsAttributes.WireMessage wire = AwsAttributes.toWire(envelope);

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

    @Test
    void anEnvelopeRoundTripsThroughToWireAndFromWire() {
        EventEnvelope envelope = fullEnvelope();

        AwsAttributes.WireMessage wire = AwsAttributes.toWire(envelope);
        CloudEventAttributes.Read read = AwsAttributes.fromWire(wire, "sqs-message-id", "sqs:queue");

        assertThat(read.malformation()).isEmpty();
        assertThat(read.envelope().extensions()).isEqualTo(envelope.extensions());
        assertThat(read.envelope().subject()).contains("");
        assertThat(read.envelope()).isEqualTo(envelope);
    }

    @Test
    void aSubjectThatIsNotEmptyIsARealAttribute() {
        EventEnvelope envelope = EventEnvelope.builder().id("s-1").source("/s").type("t").subject("orders/42").build();

        AwsAttributes.WireMessage wire = AwsAttributes.toWire(envelope);

        assertThat(wire.attributes()).containsEntry("ce_subject", "orders/42");
    }

    @Test
    void emptyValuedAttributesTravelInsideCeMore() throws Exception {
        EventEnvelope envelope = EventEnvelope.builder().id("e-1").source("/s").type("t").subject("")
                .extension("blank", "").extension("kept", "value").data("x").build();

        AwsAttributes.WireMessage wire = AwsAttributes.toWire(envelope);
        EventEnvelope back = AwsAttributes.fromWire(wire, "fallback", "sqs:q").envelope();

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

        AwsAttributes.WireMessage wire = AwsAttributes.toWire(envelope);
        EventEnvelope back = AwsAttributes.fromWire(wire, "fallback", "sqs:q").envelope();

        assertThat(wire.attributes()).containsEntry("ce_dataencoding", "base64");
        assertThat(AwsAttributes.isSqsText(wire.body().getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(back.data()).isEqualTo(data);
    }

    @Test
    void anEmptyPayloadTravelsAsAPlaceholderBody() {
        EventEnvelope envelope = EventEnvelope.builder().id("n-1").source("/s").type("t").build();

        AwsAttributes.WireMessage wire = AwsAttributes.toWire(envelope);
        EventEnvelope back = AwsAttributes.fromWire(wire, "fallback", "sqs:q").envelope();

        assertThat(wire.body()).isNotEmpty();
        assertThat(wire.attributes()).containsEntry("ce_dataencoding", "empty");
        assertThat(back.dataLength()).isZero();
        assertThat(back).isEqualTo(envelope);
    }

    @Test
    void aMalformedCeMoreIsReportedAndTheEnvelopeIsStillBuilt() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("ce_specversion", "1.0");
        attributes.put("ce_id", "m-1");
        attributes.put("ce_type", "com.example.broken");
        attributes.put("ce_source", "/elsewhere");
        attributes.put("ce_more", "{not json");
        AwsAttributes.WireMessage wire = new AwsAttributes.WireMessage("payload", attributes);

        CloudEventAttributes.Read read = AwsAttributes.fromWire(wire, "fallback", "sqs:q");

        assertThat(read.malformation()).hasValueSatisfying(reason -> assertThat(reason).contains("ce_more"));
        assertThat(read.envelope().id()).isEqualTo("m-1");
        assertThat(read.envelope().type()).isEqualTo("com.example.broken");
        assertThat(read.envelope().source()).isEqualTo("/elsewhere");
        assertThat(read.envelope().dataAsString()).isEqualTo("payload");
    }

    @Test
    void aCeMoreThatIsNotAnObjectOfStringsIsReported() {
        AwsAttributes.WireMessage wire = new AwsAttributes.WireMessage("payload",
                Map.of("ce_id", "m-2", "ce_type", "t", "ce_more", "[\"a\",\"b\"]"));

        CloudEventAttributes.Read read = AwsAttributes.fromWire(wire, "fallback", "sqs:q");

        assertThat(read.malformation()).isPresent();
        assertThat(read.envelope().id()).isEqualTo("m-2");
    }

    @Test
    void aMessageWithoutAttributesIsAForeignEvent() {
        AwsAttributes.WireMessage wire = new AwsAttributes.WireMessage("hello from elsewhere", Map.of());

        CloudEventAttributes.Read read = AwsAttributes.fromWire(wire, "sqs-id-1", "sqs:q");

        assertThat(read.malformation()).isEmpty();
        assertThat(read.envelope().type()).isEqualTo(CloudEventAttributes.FOREIGN_TYPE);
        assertThat(read.envelope().id()).isEqualTo("sqs-id-1");
        assertThat(read.envelope().source()).isEqualTo("sqs:q");
        assertThat(read.envelope().dataAsString()).isEqualTo("hello from elsewhere");
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
    void thePartitionKeyIsReadFromCeMoreAloneAsTheFullDecodeReadsIt() {
        AwsAttributes.WireMessage keyed = AwsAttributes.toWire(fullEnvelope());
        AwsAttributes.WireMessage unkeyed = AwsAttributes.toWire(EventEnvelope.builder().id("u").source("/s").type("t").build());

        assertThat(AwsAttributes.partitionKeyOnlyInMore(keyed.attributes())).isTrue();
        assertThat(AwsAttributes.partitionKeyInMore(keyed.attributes())).contains("order-42")
                .isEqualTo(AwsAttributes.fromWire(keyed, "f", "sqs:q").envelope().partitionKey());
        assertThat(AwsAttributes.partitionKeyInMore(unkeyed.attributes())).isEmpty();
        assertThat(AwsAttributes.partitionKeyInMore(Map.of("ce_more", "not json"))).isEmpty();
    }

    @Test
    void aForeignPartitionKeyAttributeOrAStructuredBodyNeedsTheFullDecode() {
        assertThat(AwsAttributes.partitionKeyOnlyInMore(Map.of("CE_PartitionKey", "k"))).isFalse();
        assertThat(AwsAttributes.partitionKeyOnlyInMore(Map.of("content-type", "application/cloudevents+json"))).isFalse();
        assertThat(AwsAttributes.partitionKeyOnlyInMore(Map.of("content-type", "application/json"))).isTrue();
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
