package dev.switchboard.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.Subscription;
import dev.switchboard.opentelemetry.SwitchboardTracing;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.cloudevents.kafka.CloudEventSerializer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Switchboard and the CloudEvents Java SDK's Kafka binding ({@code io.cloudevents:cloudevents-kafka}) read each
 * other's records, in binary and structured mode; records of producers that know nothing of CloudEvents are
 * delivered as foreign envelopes. With {@link SwitchboardTracing}, the trace context crosses between them as the
 * CloudEvents distributed-tracing extension ({@code traceparent}, the {@code ce_traceparent} header in binary mode).
 */
class CloudEventsInteropTest {
    private static final Duration DELIVERY = Duration.ofSeconds(30);
    private static final OffsetDateTime TIME = OffsetDateTime.of(2024, 5, 6, 7, 8, 9, 123_000_000, ZoneOffset.ofHours(2));
    private static final String JSON = "{\"orderId\":\"o-42\",\"amountCents\":1999}";
    /** The type of a record that carries none, as the README documents it. */
    private static final String FOREIGN_TYPE = "dev.switchboard.foreign";
    /** The trace a CloudEvents SDK producer is part of, as its W3C traceparent. */
    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final String PARENT_SPAN_ID = "b7ad6b7169203331";

    private Messaging messaging;
    private String topic;

    @BeforeEach
    void connect() {
        messaging = Messaging.fromConfig(KafkaTestBroker.properties(Map.of("switchboard.service-name", "ce-interop")));
        topic = "ce-interop-" + UUID.randomUUID();
    }

    @AfterEach
    void close() {
        messaging.close();
    }

    @Test
    void anEventPublishedThroughSwitchboardIsReadByTheCloudEventsDeserializer() {
        EventEnvelope sent = EventEnvelope.builder()
                .id("evt-" + UUID.randomUUID())
                .source("/shop/orders")
                .type("com.shop.order.placed")
                .subject("orders/o-42")
                .time(TIME)
                .dataSchema("https://schemas.shop.example/order-placed/v1.json")
                .dataContentType("application/json")
                .data(JSON.getBytes(StandardCharsets.UTF_8))
                .partitionKey("o-42")
                .correlationId("req-7")
                .extension("tenant", "acme")
                .extension("region", "eu1")
                .build();

        messaging.publisher().publishAndWait(topic, sent);
        ConsumerRecord<String, CloudEvent> record = readOne(topic);

        CloudEvent read = record.value();
        assertThat(record.key()).isEqualTo("o-42");
        assertThat(read.getId()).isEqualTo(sent.id());
        assertThat(read.getSource()).isEqualTo(URI.create("/shop/orders"));
        assertThat(read.getType()).isEqualTo("com.shop.order.placed");
        assertThat(read.getSubject()).isEqualTo("orders/o-42");
        assertThat(read.getTime()).isNotNull().satisfies(time -> assertThat(time.isEqual(TIME)).as("%s is %s", time, TIME).isTrue());
        assertThat(read.getDataSchema()).isEqualTo(URI.create("https://schemas.shop.example/order-placed/v1.json"));
        assertThat(read.getDataContentType()).isEqualTo("application/json");
        assertThat(read.getData()).isNotNull();
        assertThat(new String(read.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo(JSON);
        assertThat(extensionsOf(read)).isEqualTo(Map.of(
                "partitionkey", "o-42", "correlationid", "req-7", "tenant", "acme", "region", "eu1"));
    }

    @Test
    void withTheTimeInTheRecordTimestampTheRecordHasNoTimeHeaderTheCloudEventsDeserializerReadsAnEventWithoutTimeAndSwitchboardReadsTheTime() {
        Map<String, String> lean = Map.of("switchboard.service-name", "ce-interop", KafkaOptions.EVENT_TIME,
                KafkaOptions.EVENT_TIME_RECORD_TIMESTAMP);
        try (Messaging leanMessaging = Messaging.fromConfig(KafkaTestBroker.properties(lean))) {
            List<EventEnvelope> received = new CopyOnWriteArrayList<>();
            leanMessaging.subscribe(Subscription.to(topic).group("g-" + UUID.randomUUID())
                    .onEnvelope((envelope, context) -> received.add(envelope)));
            EventEnvelope sent = EventEnvelope.builder().source("/shop/orders").type("com.shop.order.placed")
                    .time(TIME).dataContentType("application/json").data(JSON.getBytes(StandardCharsets.UTF_8)).build();

            leanMessaging.publisher().publishAndWait(topic, sent);

            ConsumerRecord<String, CloudEvent> record = readOne(topic);
            assertThat(record.headers().lastHeader("ce_time")).isNull();
            assertThat(record.timestamp()).isEqualTo(TIME.toInstant().toEpochMilli());
            assertThat(record.value().getId()).isEqualTo(sent.id());
            assertThat(record.value().getType()).isEqualTo("com.shop.order.placed");
            assertThat(record.value().getTime()).as("a valid CloudEvent, without the optional time").isNull();
            await().atMost(DELIVERY).until(() -> !received.isEmpty());
            assertThat(received.get(0).id()).isEqualTo(sent.id());
            assertThat(received.get(0).time().isEqual(TIME)).as("%s is %s", received.get(0).time(), TIME).isTrue();
        }
    }

    @Test
    void aConsumerLeftAtTheDefaultReadsNoTimeFromTheRecordTimestamp() throws Exception {
        CloudEvent sent = CloudEventBuilder.v1(orderPlaced("application/json", JSON.getBytes(StandardCharsets.UTF_8)))
                .withTime(null).build();
        List<EventEnvelope> received = subscribe(topic);

        sendCloudEvent(Encoding.BINARY, sent);

        await().atMost(DELIVERY).until(() -> !received.isEmpty());
        assertThat(received.get(0).id()).isEqualTo(sent.getId());
        assertThat(received.get(0).time()).isNull();
    }

    @Test
    void anEventWrittenByTheCloudEventsSerializerInBinaryModeIsConsumedBySwitchboard() throws Exception {
        CloudEvent sent = orderPlaced("application/json", JSON.getBytes(StandardCharsets.UTF_8));
        List<EventEnvelope> received = subscribe(topic);

        sendCloudEvent(Encoding.BINARY, sent);

        await().atMost(DELIVERY).untilAsserted(() -> assertThat(received).hasSize(1));
        assertSameEvent(received.get(0), sent);
    }

    @Test
    void anEventWrittenByTheCloudEventsSerializerInStructuredModeIsConsumedBySwitchboard() throws Exception {
        CloudEvent sent = orderPlaced("application/json", JSON.getBytes(StandardCharsets.UTF_8));
        List<EventEnvelope> received = subscribe(topic);

        sendCloudEvent(Encoding.STRUCTURED, sent);

        await().atMost(DELIVERY).untilAsserted(() -> assertThat(received).hasSize(1));
        assertSameEvent(received.get(0), sent);
    }

    @Test
    void aStructuredModeRecordWithoutPartitionKeyGetsTheRecordKeyAsPartitionKey() throws Exception {
        CloudEvent sent = CloudEventBuilder.v1(orderPlaced("application/json", JSON.getBytes(StandardCharsets.UTF_8)))
                .withoutExtension("partitionkey").build();
        List<EventEnvelope> received = subscribe(topic);

        sendCloudEvent(Encoding.STRUCTURED, "customer-9", sent);

        await().atMost(DELIVERY).untilAsserted(() -> assertThat(received).hasSize(1));
        assertThat(received.get(0).id()).isEqualTo(sent.getId());
        assertThat(received.get(0).partitionKey()).contains("customer-9");
    }

    @Test
    void binaryDataInStructuredModeTravelsAsDataBase64AndArrivesUnchanged() throws Exception {
        byte[] bytes = {0, 1, 2, (byte) 0xfe, (byte) 0xff, '"', '\n'};
        CloudEvent sent = orderPlaced("application/octet-stream", bytes);
        List<EventEnvelope> received = subscribe(topic);

        sendCloudEvent(Encoding.STRUCTURED, sent);

        await().atMost(DELIVERY).untilAsserted(() -> assertThat(received).hasSize(1));
        assertSameEvent(received.get(0), sent);
    }

    @Test
    void aForeignRecordIsDeliveredAsAForeignEnvelopeKeyedByTheRecordKey() throws Exception {
        byte[] value = "plain text, not a CloudEvent \u00e9".getBytes(StandardCharsets.UTF_8);
        List<EventEnvelope> received = subscribe(topic);

        RecordMetadata written;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig(),
                new StringSerializer(), new ByteArraySerializer())) {
            written = producer.send(new ProducerRecord<>(topic, "customer-9", value)).get();
        }

        await().atMost(DELIVERY).untilAsserted(() -> assertThat(received).hasSize(1));
        EventEnvelope envelope = received.get(0);
        assertThat(envelope.type()).isEqualTo(FOREIGN_TYPE);
        assertThat(envelope.partitionKey()).contains("customer-9");
        assertThat(envelope.id()).isEqualTo(topic + "-" + written.partition() + "@" + written.offset());
        assertThat(envelope.data()).isEqualTo(value);
        assertThat(envelope.dataContentType()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Encoding.class)
    void aTraceparentWrittenWithTheCloudEventsSerializerIsContinuedBySwitchboardTracing(Encoding encoding)
            throws Exception {
        CloudEvent sent = CloudEventBuilder.v1(orderPlaced("application/json", JSON.getBytes(StandardCharsets.UTF_8)))
                .withExtension("traceparent", "00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01")
                .withExtension("tracestate", "congo=t61rcWkgMzE")
                .build();
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        AtomicReference<SpanContext> currentInHandler = new AtomicReference<>();
        try (Messaging traced = tracedMessaging(spans)) {
            traced.subscribe(Subscription.to(topic).group("g-" + UUID.randomUUID())
                    .onEnvelope((envelope, context) -> currentInHandler.set(Span.current().getSpanContext())));

            sendCloudEvent(encoding, sent);

            await().atMost(DELIVERY).until(() -> !spans.getFinishedSpanItems().isEmpty());
        }
        SpanData consumer = spans.getFinishedSpanItems().get(0);
        assertThat(consumer.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(consumer.getName()).isEqualTo("process " + topic);
        assertThat(consumer.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(consumer.getParentSpanId()).isEqualTo(PARENT_SPAN_ID);
        assertThat(consumer.getParentSpanContext().isRemote()).isTrue();
        assertThat(consumer.getSpanContext().getTraceState().get("congo")).isEqualTo("t61rcWkgMzE");
        assertThat(consumer.getLinks()).extracting(LinkData::getSpanContext).singleElement()
                .satisfies(link -> assertThat(link.getSpanId()).isEqualTo(PARENT_SPAN_ID));
        assertThat(consumer.getAttributes().get(AttributeKey.stringKey("messaging.system"))).isEqualTo("kafka");
        assertThat(consumer.getAttributes().get(AttributeKey.stringKey("messaging.message.id"))).isEqualTo(sent.getId());
        assertThat(currentInHandler.get()).isEqualTo(consumer.getSpanContext());
    }

    @Test
    void aSwitchboardPublishWithTracingCarriesItsProducerSpanAsTheTraceparentTheCloudEventsDeserializerReads() {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        try (Messaging traced = tracedMessaging(spans)) {
            traced.publisher().publishAndWait(topic, EventEnvelope.builder().id("evt-" + UUID.randomUUID())
                    .source("/shop/orders").type("com.shop.order.placed").data(JSON).build());
        }
        await().atMost(DELIVERY).until(() -> !spans.getFinishedSpanItems().isEmpty());
        SpanData producer = spans.getFinishedSpanItems().get(0);
        assertThat(producer.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(producer.getName()).isEqualTo("send " + topic);
        String traceparent = "00-" + producer.getTraceId() + "-" + producer.getSpanId() + "-"
                + producer.getSpanContext().getTraceFlags().asHex();

        ConsumerRecord<String, CloudEvent> record = readOne(topic);

        Header header = record.headers().lastHeader("ce_traceparent");
        assertThat(header).isNotNull();
        assertThat(new String(header.value(), StandardCharsets.UTF_8)).isEqualTo(traceparent);
        assertThat(record.value().getExtension("traceparent")).isEqualTo(traceparent);
    }

    /**
     * A Messaging on the test broker with tracing by the real SDK, exporting to {@code spans} as each span ends;
     * consumer spans link to the producer's context as well (the option for backends that follow links).
     */
    private static Messaging tracedMessaging(InMemorySpanExporter spans) {
        OpenTelemetrySdk openTelemetry = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        return Messaging.builder()
                .properties(KafkaTestBroker.properties(Map.of("switchboard.service-name", "ce-interop-traced")))
                .instrumentation(SwitchboardTracing.builder(openTelemetry).linkToProducer(true).build())
                .build();
    }

    private static CloudEvent orderPlaced(String contentType, byte[] data) {
        return CloudEventBuilder.v1()
                .withId("evt-" + UUID.randomUUID())
                .withSource(URI.create("urn:shop:orders"))
                .withType("com.shop.order.placed")
                .withSubject("orders/o-42")
                .withTime(TIME)
                .withDataSchema(URI.create("https://schemas.shop.example/order-placed/v1.json"))
                .withDataContentType(contentType)
                .withData(data)
                .withExtension("partitionkey", "o-42")
                .withExtension("correlationid", "req-7")
                .withExtension("tenant", "acme")
                .build();
    }

    private static void assertSameEvent(EventEnvelope envelope, CloudEvent sent) {
        assertThat(envelope.id()).isEqualTo(sent.getId());
        assertThat(envelope.source()).isEqualTo(sent.getSource().toString());
        assertThat(envelope.type()).isEqualTo(sent.getType());
        assertThat(envelope.specVersion()).isEqualTo("1.0");
        assertThat(envelope.subject()).contains(sent.getSubject());
        assertThat(envelope.time()).isNotNull().satisfies(time -> assertThat(time.isEqual(sent.getTime()))
                .as("%s is %s", time, sent.getTime()).isTrue());
        assertThat(envelope.dataSchema()).contains(sent.getDataSchema().toString());
        assertThat(envelope.dataContentType()).contains(sent.getDataContentType());
        assertThat(envelope.data()).isEqualTo(sent.getData().toBytes());
        assertThat(envelope.extensions()).isEqualTo(extensionsOf(sent));
    }

    private static Map<String, Object> extensionsOf(CloudEvent event) {
        Map<String, Object> extensions = new HashMap<>();
        event.getExtensionNames().forEach(name -> extensions.put(name, event.getExtension(name)));
        return extensions;
    }

    /** A Switchboard subscription in a fresh group that collects every envelope it gets. */
    private List<EventEnvelope> subscribe(String topic) {
        List<EventEnvelope> received = new CopyOnWriteArrayList<>();
        messaging.subscribe(Subscription.to(topic).group("g-" + UUID.randomUUID())
                .onEnvelope((envelope, context) -> received.add(envelope)));
        return received;
    }

    /** Sends through a plain producer with the CloudEvents SDK's serializer, keyed by the partition key. */
    private void sendCloudEvent(Encoding encoding, CloudEvent event) throws Exception {
        sendCloudEvent(encoding, (String) event.getExtension("partitionkey"), event);
    }

    private void sendCloudEvent(Encoding encoding, String key, CloudEvent event) throws Exception {
        Map<String, Object> config = producerConfig();
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, CloudEventSerializer.class);
        config.put(CloudEventSerializer.ENCODING_CONFIG, encoding);
        config.put(CloudEventSerializer.EVENT_FORMAT_CONFIG, JsonFormat.CONTENT_TYPE);
        try (KafkaProducer<String, CloudEvent> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(topic, key, event)).get();
        }
    }

    private static Map<String, Object> producerConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return config;
    }

    /** Reads the first record of {@code topic} with a plain consumer and the CloudEvents SDK's deserializer. */
    private static ConsumerRecord<String, CloudEvent> readOne(String topic) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "plain-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, CloudEvent>> records = new CopyOnWriteArrayList<>();
        try (KafkaConsumer<String, CloudEvent> consumer = new KafkaConsumer<>(config,
                new StringDeserializer(), new CloudEventDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().pollInSameThread().atMost(DELIVERY).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return !records.isEmpty();
            });
        }
        assertThat(records).hasSize(1);
        return records.get(0);
    }
}
