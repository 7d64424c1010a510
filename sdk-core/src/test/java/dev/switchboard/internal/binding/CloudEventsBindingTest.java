package dev.switchboard.internal.binding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Payload;
import dev.switchboard.spi.InboundMessage;
import java.util.function.BiConsumer;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudEventsBindingTest {
    private static final String PREFIX = "ce_";

    private static EventEnvelope full() {
        return EventEnvelope.builder()
                .id("evt-1")
                .type("com.shop.order.placed")
                .source("/orders")
                .time(OffsetDateTime.of(2024, 5, 1, 12, 30, 15, 123_000_000, ZoneOffset.UTC))
                .subject("o-42")
                .dataSchema("https://schemas.example.com/order.json")
                .dataContentType("application/json")
                .data("{\"id\":\"o-42\"}".getBytes(StandardCharsets.UTF_8))
                .partitionKey("o-42")
                .correlationId("c-1")
                .extension("tenant", "acme")
                .build();
    }

    private static Map<String, String> toHeaders(EventEnvelope envelope, String prefix) {
        Map<String, String> headers = new LinkedHashMap<>();
        CloudEventsBinding.outbound(envelope).forEachAttribute(prefix, headers::put);
        return headers;
    }

    private static CloudEventsBinding.Read fromMessage(Map<String, String> headers, String prefix, String contentType,
                                                       byte[] body, String transportId, String fallbackSource) {
        return CloudEventsBinding.decode(new TestMessage(headers, contentType, body, null, transportId), prefix,
                fallbackSource);
    }

    /** A received message as a driver would hand it over. */
    record TestMessage(Map<String, String> headers, String contentType, byte[] bytes, String key, String transportId)
            implements InboundMessage {
        @Override
        public void forEachHeader(BiConsumer<String, String> visitor) {
            headers.forEach(visitor);
        }

        @Override
        public Payload body() {
            return Payload.copyOf(bytes);
        }

        @Override
        public int attempt() {
            return 1;
        }
    }

    @Test
    void theTransportsTimeIsTheTimeOfAMessageWithoutATimeAttributeOnly() {
        OffsetDateTime transportTime = OffsetDateTime.parse("2024-05-06T05:08:09.123Z");
        Map<String, String> withoutTime = Map.of("ce_specversion", "1.0", "ce_id", "evt-1", "ce_source", "/orders",
                "ce_type", "t");
        Map<String, String> withTime = new LinkedHashMap<>(withoutTime);
        withTime.put("ce_time", "2020-01-01T00:00:00Z");

        assertThat(CloudEventsBinding.decode(new Timed(withoutTime, transportTime), PREFIX, "/x").envelope().time())
                .isEqualTo(transportTime);
        assertThat(CloudEventsBinding.decode(new Timed(withTime, transportTime), PREFIX, "/x").envelope().time())
                .isEqualTo(OffsetDateTime.parse("2020-01-01T00:00:00Z"));
        assertThat(CloudEventsBinding.decode(new Timed(withoutTime, null), PREFIX, "/x").envelope().time()).isNull();
    }

    /** A message whose transport carries the event's time outside the headers, as Kafka's record timestamp can. */
    private record Timed(Map<String, String> headers, OffsetDateTime eventTime) implements InboundMessage {
        @Override
        public void forEachHeader(BiConsumer<String, String> visitor) {
            headers.forEach(visitor);
        }

        @Override
        public String contentType() {
            return null;
        }

        @Override
        public Payload body() {
            return Payload.EMPTY;
        }

        @Override
        public String transportId() {
            return "t-1";
        }

        @Override
        public int attempt() {
            return 1;
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void toHeadersWritesEveryAttributeAndExtensionWithPrefix() {
        EventEnvelope envelope = full();

        Map<String, String> headers = toHeaders(envelope, PREFIX);

        assertThat(headers).containsOnly(
                Map.entry("ce_specversion", "1.0"),
                Map.entry("ce_id", "evt-1"),
                Map.entry("ce_source", "/orders"),
                Map.entry("ce_type", "com.shop.order.placed"),
                Map.entry("ce_time", "2024-05-01T12:30:15.123Z"),
                Map.entry("ce_subject", "o-42"),
                Map.entry("ce_dataschema", "https://schemas.example.com/order.json"),
                Map.entry("ce_partitionkey", "o-42"),
                Map.entry("ce_correlationid", "c-1"),
                Map.entry("ce_tenant", "acme"));
    }

    @Test
    void toHeadersOmitsDataContentType() {
        Map<String, String> headers = toHeaders(full(), PREFIX);

        assertThat(headers.keySet()).noneMatch(k -> k.toLowerCase().contains("datacontenttype"));
        assertThat(headers.values()).doesNotContain("application/json");
    }

    @Test
    void toHeadersOmitsAbsentOptionalAttributes() {
        EventEnvelope minimal = EventEnvelope.builder().id("e").type("t").source("/s").build();

        Map<String, String> headers = toHeaders(minimal, PREFIX);

        assertThat(headers).containsOnlyKeys("ce_specversion", "ce_id", "ce_source", "ce_type");
    }

    @Test
    void toHeadersWritesRfc3339TimeEvenWithZeroSeconds() {
        EventEnvelope envelope = full().toBuilder()
                .time(OffsetDateTime.of(2024, 5, 1, 12, 30, 0, 0, ZoneOffset.UTC))
                .build();

        Map<String, String> headers = toHeaders(envelope, PREFIX);

        assertThat(headers.get("ce_time"))
                .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})");
    }

    @Test
    void binaryModeRoundTrip() {
        EventEnvelope original = full();
        Map<String, String> headers = toHeaders(original, PREFIX);

        CloudEventsBinding.Read read = fromMessage(headers, PREFIX, "application/json",
                original.data(), "fallback-id", "kafka:orders");

        assertThat(read.malformation()).isEmpty();
        assertThat(read.envelope()).isEqualTo(original);
        assertThat(read.envelope().time()).isEqualTo(original.time());
        assertThat(read.envelope().dataContentType()).contains("application/json");
    }

    @Test
    void nonPrefixedHeadersAreIgnored() {
        Map<String, String> headers = new LinkedHashMap<>(toHeaders(full(), PREFIX));
        headers.put("traceid", "abc");
        headers.put("ce_", "empty-name");
        headers.put("x-ce_tenant", "wrong");

        CloudEventsBinding.Read read = fromMessage(headers, PREFIX, null, new byte[0],
                null, "kafka:orders");

        assertThat(read.malformation()).isEmpty();
        assertThat(read.envelope().extensions()).doesNotContainKeys("traceid", "");
        assertThat(read.envelope().extension("tenant")).contains("acme");
    }

    @Test
    void foreignMessageGetsForeignTypeAndFallbacks() {
        Map<String, String> headers = Map.of("content-encoding", "gzip", "x-app", "legacy");
        byte[] body = utf8("plain legacy payload");

        CloudEventsBinding.Read read = fromMessage(headers, PREFIX, "text/plain", body,
                "orders-0@17", "kafka:orders");

        assertThat(read.malformation()).isEmpty();
        EventEnvelope envelope = read.envelope();
        assertThat(envelope.type()).isEqualTo(CloudEventsBinding.FOREIGN_TYPE).isEqualTo("dev.switchboard.foreign");
        assertThat(envelope.id()).isEqualTo("orders-0@17");
        assertThat(envelope.source()).isEqualTo("kafka:orders");
        assertThat(envelope.specVersion()).isEqualTo("1.0");
        assertThat(envelope.data()).isEqualTo(body);
        assertThat(envelope.dataContentType()).contains("text/plain");
        assertThat(envelope.extensions()).isEmpty();
    }

    @Test
    void foreignMessageWithoutFallbackIdGetsRandomId() {
        CloudEventsBinding.Read first = fromMessage(Map.of(), PREFIX, null, new byte[0],
                null, "kafka:orders");
        CloudEventsBinding.Read second = fromMessage(Map.of(), PREFIX, null, new byte[0],
                null, "kafka:orders");

        assertThat(first.envelope().id()).isNotBlank().isNotEqualTo(second.envelope().id());
        assertThat(first.malformation()).isEmpty();
    }

    @Test
    void badTimeIsReportedAndEnvelopeStillBuilt() {
        Map<String, String> headers = new LinkedHashMap<>(toHeaders(full(), PREFIX));
        headers.put("ce_time", "yesterday at noon");

        CloudEventsBinding.Read read = fromMessage(headers, PREFIX, null, utf8("x"),
                null, "kafka:orders");

        assertThat(read.malformation()).hasValueSatisfying(m ->
                assertThat(m).contains("time").contains("yesterday at noon"));
        assertThat(read.envelope().id()).isEqualTo("evt-1");
        assertThat(read.envelope().type()).isEqualTo("com.shop.order.placed");
        assertThat(read.envelope().time()).isNull();
        assertThat(read.envelope().dataAsString()).isEqualTo("x");
    }

    @Test
    void invalidExtensionNameIsReportedAndOthersKept() {
        Map<String, String> headers = new LinkedHashMap<>(toHeaders(full(), PREFIX));
        headers.put("ce_Bad-Name", "v");

        CloudEventsBinding.Read read = fromMessage(headers, PREFIX, null, new byte[0],
                null, "kafka:orders");

        assertThat(read.malformation()).hasValueSatisfying(m -> assertThat(m).containsIgnoringCase("Bad-Name"));
        assertThat(read.envelope().extension("tenant")).contains("acme");
        assertThat(read.envelope().extensions().keySet()).noneMatch(k -> k.equalsIgnoreCase("bad-name"));
    }

    @Test
    void badSourceIsReportedAndFallbackUsed() {
        Map<String, String> headers = new LinkedHashMap<>(toHeaders(full(), PREFIX));
        headers.put("ce_source", "ht tp://x y");

        CloudEventsBinding.Read read = fromMessage(headers, PREFIX, null, new byte[0],
                null, "kafka:orders");

        assertThat(read.malformation()).hasValueSatisfying(m -> assertThat(m).contains("source"));
        assertThat(read.envelope().source()).isEqualTo("kafka:orders");
    }

    @Test
    void badDataSchemaIsReported() {
        Map<String, String> headers = new LinkedHashMap<>(toHeaders(full(), PREFIX));
        headers.put("ce_dataschema", "not a { uri");

        CloudEventsBinding.Read read = fromMessage(headers, PREFIX, null, new byte[0],
                null, "kafka:orders");

        assertThat(read.malformation()).hasValueSatisfying(m -> assertThat(m).contains("dataschema"));
        assertThat(read.envelope().dataSchema()).isEmpty();
    }

    @Test
    void severalProblemsAreAllReported() {
        Map<String, String> headers = new LinkedHashMap<>(toHeaders(full(), PREFIX));
        headers.put("ce_time", "never");
        headers.put("ce_Bad-Name", "v");

        CloudEventsBinding.Read read = fromMessage(headers, PREFIX, null, new byte[0],
                null, "kafka:orders");

        assertThat(read.malformation()).hasValueSatisfying(m ->
                assertThat(m).contains("time").containsIgnoringCase("Bad-Name").contains("; "));
    }

    @Test
    void headerPrefixIsMatchedCaseInsensitively() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("CE_id", "evt-2");
        headers.put("Ce_type", "com.shop.order.shipped");
        headers.put("cE_source", "/shipping");
        headers.put("CE_tenant", "acme");

        CloudEventsBinding.Read read = fromMessage(headers, PREFIX, null, new byte[0],
                null, "kafka:orders");

        assertThat(read.malformation()).isEmpty();
        assertThat(read.envelope().id()).isEqualTo("evt-2");
        assertThat(read.envelope().type()).isEqualTo("com.shop.order.shipped");
        assertThat(read.envelope().source()).isEqualTo("/shipping");
        assertThat(read.envelope().extension("tenant")).contains("acme");
    }

    @Test
    void structuredModeWithDataObject() {
        String json = """
                {"specversion":"1.0","id":"s-1","source":"/orders","type":"com.shop.order.placed",
                 "time":"2024-05-01T12:30:15Z","subject":"o-42","datacontenttype":"application/json",
                 "partitionkey":"o-42","data":{"id":"o-42","amount":12}}
                """;

        CloudEventsBinding.Read read = fromMessage(Map.of(), PREFIX,
                "application/cloudevents+json; charset=utf-8", utf8(json), "fallback", "kafka:orders");

        assertThat(read.malformation()).isEmpty();
        EventEnvelope envelope = read.envelope();
        assertThat(envelope.id()).isEqualTo("s-1");
        assertThat(envelope.source()).isEqualTo("/orders");
        assertThat(envelope.type()).isEqualTo("com.shop.order.placed");
        assertThat(envelope.time()).isEqualTo(OffsetDateTime.of(2024, 5, 1, 12, 30, 15, 0, ZoneOffset.UTC));
        assertThat(envelope.subject()).contains("o-42");
        assertThat(envelope.dataContentType()).contains("application/json");
        assertThat(envelope.partitionKey()).contains("o-42");
        assertThat(envelope.dataAsString()).isEqualTo("{\"id\":\"o-42\",\"amount\":12}");
        assertThat(envelope.extensions()).doesNotContainKeys("data", "data_base64", "specversion");
    }

    @Test
    void structuredModeWithDataString() {
        String json = """
                {"specversion":"1.0","id":"s-2","source":"/notes","type":"com.notes.added",
                 "datacontenttype":"text/plain","data":"hello \\"world\\""}
                """;

        CloudEventsBinding.Read read = fromMessage(Map.of(), PREFIX,
                CloudEventsBinding.STRUCTURED_JSON, utf8(json), null, "kafka:notes");

        assertThat(read.malformation()).isEmpty();
        assertThat(read.envelope().dataAsString()).isEqualTo("hello \"world\"");
        assertThat(read.envelope().dataContentType()).contains("text/plain");
    }

    @Test
    void structuredModeWithDataBase64() {
        byte[] binary = {0, 1, 2, (byte) 0xFF, (byte) 0x80};
        String json = "{\"specversion\":\"1.0\",\"id\":\"s-3\",\"source\":\"/bin\",\"type\":\"com.bin\","
                + "\"datacontenttype\":\"application/octet-stream\",\"data_base64\":\""
                + Base64.getEncoder().encodeToString(binary) + "\"}";

        CloudEventsBinding.Read read = fromMessage(Map.of(), PREFIX,
                CloudEventsBinding.STRUCTURED_JSON, utf8(json), null, "kafka:bin");

        assertThat(read.malformation()).isEmpty();
        assertThat(read.envelope().data()).containsExactly(binary);
        assertThat(read.envelope().id()).isEqualTo("s-3");
    }

    @Test
    void structuredModeWithInvalidDataBase64IsAMalformation() {
        String json = "{\"specversion\":\"1.0\",\"id\":\"s-4\",\"source\":\"/bin\",\"type\":\"com.bin\","
                + "\"data_base64\":\"!!! not base64 !!!\"}";

        CloudEventsBinding.Read[] read = new CloudEventsBinding.Read[1];
        assertThatCode(() -> read[0] = fromMessage(Map.of(), PREFIX,
                CloudEventsBinding.STRUCTURED_JSON, utf8(json), null, "kafka:bin")).doesNotThrowAnyException();

        assertThat(read[0].malformation()).isPresent();
        assertThat(read[0].envelope().id()).isEqualTo("s-4");
    }

    @Test
    void structuredModeIgnoresBinaryHeaders() {
        String json = "{\"specversion\":\"1.0\",\"id\":\"s-5\",\"source\":\"/orders\",\"type\":\"t.json\"}";

        CloudEventsBinding.Read read = fromMessage(Map.of("ce_id", "header-id"), PREFIX,
                CloudEventsBinding.STRUCTURED_JSON, utf8(json), null, "kafka:orders");

        assertThat(read.envelope().id()).isEqualTo("s-5");
        assertThat(read.envelope().type()).isEqualTo("t.json");
    }

    @Test
    void structuredModeWithNonJsonBodyIsMalformed() {
        byte[] body = utf8("this is not json");

        CloudEventsBinding.Read read = fromMessage(Map.of(), PREFIX,
                CloudEventsBinding.STRUCTURED_JSON, body, "orders-0@3", "kafka:orders");

        assertThat(read.malformation()).contains("structured-mode event is not a JSON object");
        assertThat(read.envelope().id()).isEqualTo("orders-0@3");
        assertThat(read.envelope().type()).isEqualTo(CloudEventsBinding.FOREIGN_TYPE);
        assertThat(read.envelope().source()).isEqualTo("kafka:orders");
        assertThat(read.envelope().data()).isEqualTo(body);
    }

    @Test
    void structuredModeWithJsonArrayIsMalformed() {
        CloudEventsBinding.Read read = fromMessage(Map.of(), PREFIX,
                CloudEventsBinding.STRUCTURED_JSON, utf8("[1,2,3]"), null, "kafka:orders");

        assertThat(read.malformation()).contains("structured-mode event is not a JSON object");
    }

    @Test
    void structuredModeWithEmptyBodyIsMalformed() {
        CloudEventsBinding.Read read = fromMessage(Map.of(), PREFIX,
                CloudEventsBinding.STRUCTURED_JSON, new byte[0], null, "kafka:orders");

        assertThat(read.malformation()).isPresent();
        assertThat(read.envelope().type()).isEqualTo(CloudEventsBinding.FOREIGN_TYPE);
    }

    @Test
    void aForeignMessageWithoutAnIdGetsTheTransportsIdEveryTime() {
        TestMessage foreign = new TestMessage(Map.of("x-other", "1"), "text/plain", utf8("hi"), null, "orders-2@17");

        String first = CloudEventsBinding.decode(foreign, PREFIX, "kafka:orders").envelope().id();
        String redelivered = CloudEventsBinding.decode(foreign, PREFIX, "kafka:orders").envelope().id();

        assertThat(first).isEqualTo("orders-2@17").isEqualTo(redelivered);
    }

    @Test
    void anotherSpecVersionIsMalformed() {
        Map<String, String> headers = new LinkedHashMap<>(toHeaders(full(), PREFIX));
        headers.put("ce_specversion", "0.3");

        CloudEventsBinding.Read read = fromMessage(headers, PREFIX, "application/json", utf8("{}"), "t-1", "kafka:orders");

        assertThat(read.malformation()).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("specversion \"0.3\"");
    }

    @Test
    void theTransportKeyBecomesThePartitionKeyOfAStructuredModeMessage() {
        byte[] json = utf8("{\"specversion\":\"1.0\",\"id\":\"s-1\",\"type\":\"t\",\"source\":\"/s\",\"data\":\"x\"}");
        TestMessage structured = new TestMessage(Map.of(), CloudEventsBinding.STRUCTURED_JSON, json, "o-42", "orders-0@1");

        CloudEventsBinding.Read read = CloudEventsBinding.decode(structured, PREFIX, "kafka:orders");

        assertThat(read.malformation()).isEmpty();
        assertThat(read.envelope().partitionKey()).contains("o-42");
        assertThat(CloudEventsBinding.partitionKey(structured, PREFIX)).isEqualTo("o-42");
    }

    @Test
    void thePartitionKeyIsReadFromItsHeaderWithoutDecodingAndMatchedAsTheDecoderDoes() {
        TestMessage binary = new TestMessage(Map.of("CE_PartitionKey", "k-7", "ce_id", "b-1"), null, utf8(""), null, "t");

        assertThat(CloudEventsBinding.partitionKey(binary, PREFIX)).isEqualTo("k-7");
        assertThat(CloudEventsBinding.decode(binary, PREFIX, "/s").envelope().partitionKey()).contains("k-7");
    }

    @Test
    void theCarriedEnvelopeIsTakenAsItIs() {
        EventEnvelope original = full();

        assertThat(CloudEventsBinding.decode(new Carrying(original), PREFIX, "/s").envelope()).isSameAs(original);
    }

    /** A message of a driver that keeps the event itself (the in-memory broker). */
    private record Carrying(EventEnvelope envelope) implements InboundMessage {
        @Override
        public void forEachHeader(BiConsumer<String, String> visitor) {
        }

        @Override
        public String contentType() {
            return null;
        }

        @Override
        public Payload body() {
            return envelope.payload();
        }

        @Override
        public String transportId() {
            return envelope.id();
        }

        @Override
        public int attempt() {
            return 1;
        }

        @Override
        public <T> java.util.Optional<T> unwrap(Class<T> type) {
            return type.isInstance(envelope) ? java.util.Optional.of(type.cast(envelope)) : java.util.Optional.empty();
        }
    }
}
