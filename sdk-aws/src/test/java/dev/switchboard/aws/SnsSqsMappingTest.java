package dev.switchboard.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.DeadLetter;
import dev.switchboard.ErrorCode;
import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.MessagingException;
import dev.switchboard.PublishResult;
import dev.switchboard.RejectException;
import dev.switchboard.Subscriber;
import dev.switchboard.Subscription;
import dev.switchboard.aws.internal.AwsTestNames;
import dev.switchboard.internal.binding.CloudEventsBinding;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * How envelopes map onto SNS and SQS messages, on a real SNS/SQS endpoint (the fauxqs emulator in CI): every
 * attribute survives within SQS's budget of 10 message attributes, binary and empty payloads, foreign
 * messages, SNS's size limit and dead letters with their diagnostics.
 */
@Timeout(120)
class SnsSqsMappingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DELIVERY = Duration.ofSeconds(30);
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private final List<Messaging> opened = new ArrayList<>();

    @AfterEach
    void closeConnections() {
        opened.forEach(m -> m.close(Duration.ofSeconds(5)));
    }

    @Test
    void everyAttributeAndTwentyExtensionsRoundTripInAtMostTenMessageAttributes() throws Exception {
        Messaging messaging = open();
        String topic = topic("attributes");
        messaging.provision(topic, "raw");
        List<EventEnvelope> received = collect(messaging, topic, "app");
        EventEnvelope sent = EventEnvelope.builder()
                .id("mapping-" + UUID.randomUUID())
                .source("urn:switchboard:test/mapping")
                .type("com.example.mapping.checked")
                .time(OffsetDateTime.of(2024, 2, 29, 23, 59, 58, 123_456_789, ZoneOffset.ofHours(2)))
                .subject("orders/42 — ünïcödé.subject")
                .dataContentType("application/json; charset=utf-8")
                .dataSchema("https://example.com/schemas/mapping.json")
                .traceParent(TRACEPARENT)
                .partitionKey("key 42.ü")
                .correlationId("corr-1")
                .extensions(twentyExtensions())
                .data("{\"greeting\":\"grüß dich 👋\"}".getBytes(StandardCharsets.UTF_8))
                .build();

        messaging.publisher().publishAndWait(topic, sent);

        EventEnvelope got = awaitSingle(received);
        assertThat(got.extensions()).isEqualTo(sent.extensions());
        assertThat(got).isEqualTo(sent);
        Message raw = receiveRaw(messaging, topic, "raw");
        Map<String, MessageAttributeValue> attributes = raw.messageAttributes();
        assertThat(attributes).hasSizeLessThanOrEqualTo(10);
        assertThat(attributes.get("ce_type")).isNotNull().satisfies(type -> {
            assertThat(type.dataType()).isEqualTo("String");
            assertThat(type.stringValue()).isEqualTo("com.example.mapping.checked");
        });
        assertThat(attributes.keySet()).doesNotContain("ce_ext01", "ce_partitionkey", "ce_dataschema", "ce_correlationid");
        Map<String, String> more = JSON.readValue(attributes.get("ce_more").stringValue(), new TypeReference<>() {
        });
        assertThat(more).containsAllEntriesOf(twentyExtensions())
                .containsEntry("partitionkey", "key 42.ü")
                .containsEntry("correlationid", "corr-1")
                .containsEntry("dataschema", "https://example.com/schemas/mapping.json");
        assertThat(raw.body()).isEqualTo("{\"greeting\":\"grüß dich 👋\"}");
    }

    @Test
    void aBinaryPayloadOfEveryByteValueRoundTripsAsBase64() {
        Messaging messaging = open();
        String topic = topic("binary");
        messaging.provision(topic, "raw");
        List<EventEnvelope> received = collect(messaging, topic, "app");
        byte[] data = new byte[256];
        IntStream.range(0, 256).forEach(i -> data[i] = (byte) i);
        EventEnvelope sent = EventEnvelope.builder().type("com.example.binary").dataContentType("application/octet-stream")
                .data(data).build();

        messaging.publisher().publishAndWait(topic, sent);

        EventEnvelope got = awaitSingle(received);
        assertThat(got.data()).isEqualTo(data);
        assertThat(got.id()).isEqualTo(sent.id());
        assertThat(got.dataContentType()).contains("application/octet-stream");
        Message raw = receiveRaw(messaging, topic, "raw");
        assertThat(raw.messageAttributes().get("ce_dataencoding").stringValue()).isEqualTo("base64");
        assertThat(raw.body()).isEqualTo(Base64.getEncoder().encodeToString(data));
    }

    @Test
    void anEmptyPayloadRoundTrips() {
        Messaging messaging = open();
        String topic = topic("empty");
        List<EventEnvelope> received = collect(messaging, topic, "app");
        EventEnvelope sent = EventEnvelope.builder().type("com.example.empty").source("/empty").subject("nothing")
                .build();

        messaging.publisher().publishAndWait(topic, sent);

        EventEnvelope got = awaitSingle(received);
        assertThat(got.dataLength()).isZero();
        assertThat(got.dataContentType()).isEmpty();
        assertThat(got.id()).isEqualTo(sent.id());
        assertThat(got.subject()).contains("nothing");
    }

    @Test
    void aForeignMessageWithoutAttributesArrivesAsAForeignEnvelopeWithTheSqsMessageId() {
        Messaging messaging = open();
        String topic = topic("foreign");
        List<EventEnvelope> received = collect(messaging, topic, "app");
        SqsClient sqs = messaging.unwrap(SqsClient.class).orElseThrow();
        String queueUrl = sqs.getQueueUrl(b -> b.queueName(AwsTestNames.groupQueue(topic, "app", false))).queueUrl();

        String messageId = sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("{\"legacy\":true}")).messageId();

        EventEnvelope got = awaitSingle(received);
        assertThat(got.type()).isEqualTo(CloudEventsBinding.FOREIGN_TYPE);
        assertThat(got.id()).isEqualTo(messageId);
        assertThat(got.dataAsString()).isEqualTo("{\"legacy\":true}");
        assertThat(got.source()).isNotBlank();
    }

    @Test
    void aBinaryPayloadOverTheLimitOnceEncodedFailsAtPublishAndNothingIsDelivered() {
        Messaging messaging = open();
        String topic = topic("too-large");
        List<EventEnvelope> received = collect(messaging, topic, "app");
        byte[] data = new byte[200 * 1024];
        new Random(42).nextBytes(data);
        EventEnvelope large = EventEnvelope.builder().type("com.example.large").data(data).build();
        EventEnvelope marker = EventEnvelope.builder().type("com.example.marker").data("after the large one").build();

        Throwable failure = catchFailure(messaging.publisher().publish(topic, large).toCompletableFuture());
        messaging.publisher().publishAndWait(topic, marker);

        assertThat(failure).isInstanceOfSatisfying(MessagingException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).contains(large.id()).contains("262144");
        });
        await().atMost(DELIVERY).until(() -> !received.isEmpty());
        await("only the marker is delivered").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> received.size() == 1);
        assertThat(received).extracting(EventEnvelope::id).containsExactly(marker.id());
    }

    @Test
    void aDeadLetterOnSqsCarriesItsDiagnostics() {
        Messaging messaging = open();
        String topic = topic("dead-letter");
        Subscriber subscriber = messaging.subscribe(Subscription.to(topic).group("app").onEnvelope((e, ctx) -> {
            throw new RejectException("order " + e.id() + " can never be billed");
        }));
        EventEnvelope sent = EventEnvelope.builder().type("com.example.rejected").source("/billing")
                .extension("tenant", "acme").data("{\"amount\":-1}").build();

        messaging.publisher().publishAndWait(topic, sent);

        List<DeadLetter> deadLetters = new ArrayList<>();
        await().atMost(DELIVERY).until(() -> {
            deadLetters.addAll(messaging.deadLetters(topic, "app").list(10, Duration.ofSeconds(1)));
            return !deadLetters.isEmpty();
        });
        assertThat(deadLetters).hasSize(1);
        DeadLetter deadLetter = deadLetters.get(0);
        assertThat(deadLetter.reason()).isEqualTo("rejected");
        assertThat(deadLetter.errorType()).isEqualTo(RejectException.class.getName());
        assertThat(deadLetter.errorMessage()).isEqualTo("order " + sent.id() + " can never be billed");
        assertThat(deadLetter.topic()).isEqualTo(topic);
        assertThat(deadLetter.group()).isEqualTo("app");
        assertThat(deadLetter.attempts()).isEqualTo(1);
        assertThat(deadLetter.firstFailure()).isNotNull();
        assertThat(deadLetter.lastFailure()).isNotNull().isAfterOrEqualTo(deadLetter.firstFailure());
        assertThat(deadLetter.envelope().id()).isEqualTo(sent.id());
        assertThat(deadLetter.envelope().extensions()).containsEntry("tenant", "acme")
                .doesNotContainKeys(DeadLetter.REASON, DeadLetter.ATTEMPTS, DeadLetter.TOPIC);
        assertThat(deadLetter.envelope().dataAsString()).isEqualTo("{\"amount\":-1}");
        await().atMost(DELIVERY).until(() -> subscriber.stats().deadLettered() == 1);
    }

    private Messaging open() {
        Messaging messaging = Messaging.fromConfig(AwsTestBroker.properties(Map.of()));
        opened.add(messaging);
        return messaging;
    }

    private static String topic(String what) {
        return "mapping-" + what + "-" + UUID.randomUUID();
    }

    /** Subscribes {@code group} and collects every envelope it handles. */
    private static List<EventEnvelope> collect(Messaging messaging, String topic, String group) {
        List<EventEnvelope> received = new CopyOnWriteArrayList<>();
        messaging.subscribe(Subscription.to(topic).group(group).onEnvelope((e, ctx) -> received.add(e)));
        return received;
    }

    private static EventEnvelope awaitSingle(List<EventEnvelope> received) {
        await().atMost(DELIVERY).until(() -> !received.isEmpty());
        assertThat(received).hasSize(1);
        return received.get(0);
    }

    /** Reads the one message in {@code group}'s queue with the native SQS client, attributes included. */
    private static Message receiveRaw(Messaging messaging, String topic, String group) {
        SqsClient sqs = messaging.unwrap(SqsClient.class).orElseThrow();
        String queueUrl = sqs.getQueueUrl(b -> b.queueName(AwsTestNames.groupQueue(topic, group, false))).queueUrl();
        List<Message> messages = new ArrayList<>();
        await().atMost(DELIVERY).until(() -> {
            messages.addAll(sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .messageAttributeNames("All")).messages());
            return !messages.isEmpty();
        });
        assertThat(messages).hasSize(1);
        return messages.get(0);
    }

    private static Throwable catchFailure(CompletableFuture<PublishResult> publish) {
        try {
            publish.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    /** Twenty extensions with unicode, dots, spaces and empty values. */
    private static Map<String, String> twentyExtensions() {
        Map<String, String> extensions = new LinkedHashMap<>();
        for (int i = 1; i <= 20; i++) {
            extensions.put(String.format("ext%02d", i), switch (i % 5) {
                case 0 -> "";
                case 1 -> "ünïcödé 日本語 😀 " + i;
                case 2 -> "dotted.value." + i + ".end";
                case 3 -> "  spaced value " + i + "  ";
                default -> "{\"quoted\":\"" + i + "\",\"back\\\\slash\":true}";
            });
        }
        return extensions;
    }
}
