package dev.switchboard.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import dev.switchboard.DeadLetter;
import dev.switchboard.ErrorCode;
import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.MessagingException;
import dev.switchboard.RejectException;
import dev.switchboard.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The envelope on the wire, seen by a plain amqp-client on the other side: the CloudEvents AMQP binding
 * (binary mode, {@code cloudEvents:} headers), foreign messages, dead letters with their diagnostics and
 * RabbitMQ's own {@code x-death} history, and unroutable publishes.
 */
@Timeout(120)
class AmqpMappingTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String GROUP = "mapping";
    /** The type the core gives a message without CloudEvents attributes. */
    private static final String FOREIGN_TYPE = "dev.switchboard.foreign";

    private final String topic = "mapping-" + UUID.randomUUID();
    private Messaging messaging;
    private Connection nativeConnection;
    private Channel nativeChannel;

    @BeforeEach
    void connect() throws Exception {
        messaging = Messaging.fromConfig(RabbitMqTestBroker.properties(Map.of()));
        nativeConnection = RabbitMqTestBroker.nativeConnectionFactory().newConnection("amqp-mapping-test");
        nativeChannel = nativeConnection.createChannel();
    }

    @AfterEach
    void disconnect() throws Exception {
        try {
            if (messaging != null) {
                messaging.close();
            }
            if (nativeConnection != null) {
                nativeConnection.close();
            }
        } finally {
            RabbitMqTestBroker.deleteQuietly(topic, queue(), deadLetterQueue());
        }
    }

    @Test
    void aPublishedEventCarriesTheCloudEventsAmqpBinding() throws Exception {
        messaging.provision(topic, GROUP);
        String probe = nativeChannel.queueDeclare("", false, true, true, null).getQueue();
        nativeChannel.queueBind(probe, topic, "#");
        OffsetDateTime time = OffsetDateTime.of(2024, 5, 6, 7, 8, 9, 123_000_000, ZoneOffset.UTC);
        EventEnvelope event = EventEnvelope.builder().id("evt-" + UUID.randomUUID()).type("com.shop.order.placed")
                .source("/billing").time(time).subject("o-42").dataContentType("application/json")
                .data("{\"orderId\":\"o-42\"}").partitionKey("o-42").extension("tenant", "acme").build();

        messaging.publisher().publishAndWait(topic, event);

        GetResponse message = awaitMessage(probe);
        AMQP.BasicProperties properties = message.getProps();
        assertThat(message.getEnvelope().getExchange()).isEqualTo(topic);
        assertThat(message.getEnvelope().getRoutingKey()).isEqualTo("com.shop.order.placed");
        assertThat(properties.getContentType()).isEqualTo("application/json");
        assertThat(properties.getMessageId()).isEqualTo(event.id());
        assertThat(properties.getDeliveryMode()).as("persistent").isEqualTo(2);
        assertThat(properties.getTimestamp()).isEqualTo(Date.from(time.toInstant().minusMillis(123)));
        assertThat(textHeaders(properties)).contains(
                Map.entry("cloudEvents:id", event.id()),
                Map.entry("cloudEvents:type", "com.shop.order.placed"),
                Map.entry("cloudEvents:source", "/billing"),
                Map.entry("cloudEvents:specversion", "1.0"),
                Map.entry("cloudEvents:time", "2024-05-06T07:08:09.123Z"),
                Map.entry("cloudEvents:subject", "o-42"),
                Map.entry("cloudEvents:partitionkey", "o-42"),
                Map.entry("cloudEvents:tenant", "acme"))
                .doesNotContainKey("cloudEvents:datacontenttype");
        assertThat(new String(message.getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"orderId\":\"o-42\"}");
    }

    @Test
    void aForeignMessageWithoutCloudEventsHeadersIsDeliveredAsAForeignEnvelope() throws Exception {
        List<EventEnvelope> received = new CopyOnWriteArrayList<>();
        messaging.subscribe(Subscription.to(topic).group(GROUP).onEnvelope((event, ctx) -> received.add(event)));
        String messageId = "legacy-" + UUID.randomUUID();
        byte[] body = {0, (byte) 0xff, 42, 'a', (byte) 0x80};
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().messageId(messageId)
                .headers(Map.of("x-origin", "legacy-billing")).build();

        nativeChannel.basicPublish(topic, "legacy.invoice", properties, body);

        await().atMost(WAIT).until(() -> !received.isEmpty());
        assertThat(received).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(FOREIGN_TYPE);
            assertThat(event.id()).isEqualTo(messageId);
            assertThat(event.data()).isEqualTo(body);
        });
    }

    @Test
    void aForeignMessageWithoutAMessageIdKeepsOneDerivedIdAcrossARetry() throws Exception {
        List<String> ids = new CopyOnWriteArrayList<>();
        messaging.subscribe(Subscription.to(topic).group(GROUP).onEnvelope((event, ctx) -> {
            ids.add(event.id());
            if (ctx.attempt() == 1) {
                throw new IllegalStateException("first attempt fails");
            }
        }));
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .headers(Map.of("x-origin", "legacy-billing", "invoice", "i-9")).build();

        nativeChannel.basicPublish(topic, "legacy.invoice", properties, "no id".getBytes(StandardCharsets.UTF_8));

        await().atMost(WAIT).until(() -> ids.size() == 2);
        assertThat(ids.get(0)).isEqualTo(ids.get(1));
        assertThat(UUID.fromString(ids.get(0)).version()).as("derived from the message, not random").isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"create", "validate", "none"})
    void aTopicOver255BytesIsTheCallersError(String provisioning) {
        String longTopic = "\u00e9".repeat(128); // 128 characters, 256 bytes in UTF-8
        EventEnvelope event = EventEnvelope.builder().type("com.shop.order.placed").data("{}").build();
        try (Messaging other = Messaging.fromConfig(RabbitMqTestBroker.properties(Map.of("switchboard.provisioning", provisioning)))) {

            MessagingException failure = catchThrowableOfType(() -> other.publisher().publishAndWait(longTopic, event),
                    MessagingException.class);

            assertThat(failure).as("the publish fails").isNotNull();
            assertThat(failure.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(failure.getMessage()).contains("256 bytes").contains("at most 255 bytes");
        }
    }

    @Test
    void aGroupWhoseQueueNameWouldPass255BytesIsTheCallersError() {
        String longTopic = topic + "-" + "t".repeat(150);
        Subscription subscription = Subscription.to(longTopic).group("g".repeat(60)).onEnvelope((event, ctx) -> { }).build();
        try {
            MessagingException failure = catchThrowableOfType(() -> messaging.subscribe(subscription), MessagingException.class);

            assertThat(failure).as("the subscribe fails").isNotNull();
            assertThat(failure.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(failure.getMessage()).contains(longTopic + "." + "g".repeat(60)).contains("at most 255 bytes");
        } finally {
            RabbitMqTestBroker.deleteQuietly(longTopic);
        }
    }

    @Test
    void aDeadLetterKeepsTheCloudEventsHeadersAndAddsItsDiagnosticsAsExtensions() throws Exception {
        messaging.subscribe(Subscription.to(topic).group(GROUP).onEnvelope((event, ctx) -> {
            throw new RejectException("order " + event.id() + " is not ours");
        }));
        EventEnvelope event = EventEnvelope.builder().id("evt-" + UUID.randomUUID()).type("com.shop.order.placed")
                .source("/billing").dataContentType("application/json").data("{\"orderId\":\"o-7\"}")
                .extension("tenant", "acme").build();

        messaging.publisher().publishAndWait(topic, event);

        GetResponse deadLetter = awaitMessage(deadLetterQueue());
        AMQP.BasicProperties properties = deadLetter.getProps();
        Map<String, String> headers = textHeaders(properties);
        assertThat(headers).contains(
                Map.entry("cloudEvents:id", event.id()),
                Map.entry("cloudEvents:type", "com.shop.order.placed"),
                Map.entry("cloudEvents:source", "/billing"),
                Map.entry("cloudEvents:specversion", "1.0"),
                Map.entry("cloudEvents:tenant", "acme"),
                Map.entry("cloudEvents:" + DeadLetter.REASON, "rejected"),
                Map.entry("cloudEvents:" + DeadLetter.ERROR_TYPE, RejectException.class.getName()),
                Map.entry("cloudEvents:" + DeadLetter.ERROR_MESSAGE, "order " + event.id() + " is not ours"),
                Map.entry("cloudEvents:" + DeadLetter.TOPIC, topic),
                Map.entry("cloudEvents:" + DeadLetter.GROUP, GROUP),
                Map.entry("cloudEvents:" + DeadLetter.ATTEMPTS, "1"))
                .containsKeys("cloudEvents:time", "cloudEvents:" + DeadLetter.FIRST_FAILURE,
                        "cloudEvents:" + DeadLetter.LAST_FAILURE);
        assertThat(properties.getMessageId()).isEqualTo(event.id());
        assertThat(properties.getContentType()).isEqualTo("application/json");
        assertThat(properties.getDeliveryMode()).isEqualTo(2);
        assertThat(new String(deadLetter.getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"orderId\":\"o-7\"}");
    }

    @Test
    void aDeadLetterKeepsTheXDeathHistoryOfTheOriginal() throws Exception {
        messaging.subscribe(Subscription.to(topic).group(GROUP).onEnvelope((event, ctx) -> {
            throw new RejectException("poison");
        }));
        String id = "evt-" + UUID.randomUUID();
        Map<String, Object> death = new LinkedHashMap<>();
        death.put("count", 2L);
        death.put("reason", "expired");
        death.put("queue", "upstream.orders");
        death.put("exchange", "");
        death.put("routing-keys", List.of("upstream.orders"));
        death.put("time", new Date(1_700_000_000_000L));
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("cloudEvents:id", id);
        headers.put("cloudEvents:type", "com.shop.order.placed");
        headers.put("cloudEvents:source", "/upstream");
        headers.put("cloudEvents:specversion", "1.0");
        headers.put("x-death", List.of(death));
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().messageId(id).contentType("text/plain")
                .deliveryMode(2).headers(headers).build();

        nativeChannel.basicPublish(topic, "com.shop.order.placed", properties, "from upstream".getBytes(StandardCharsets.UTF_8));

        GetResponse deadLetter = awaitMessage(deadLetterQueue());
        Map<String, Object> deadLetterHeaders = deadLetter.getProps().getHeaders();
        assertThat(textHeaders(deadLetter.getProps())).contains(
                Map.entry("cloudEvents:id", id), Map.entry("cloudEvents:" + DeadLetter.REASON, "rejected"));
        assertThat(deadLetterHeaders).containsKey("x-death");
        assertThat(deadLetterHeaders.get("x-death")).asInstanceOf(InstanceOfAssertFactories.LIST).singleElement().satisfies(entry -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> table = (Map<String, Object>) entry;
            assertThat(table.get("count")).isEqualTo(2L);
            assertThat(String.valueOf(table.get("reason"))).isEqualTo("expired");
            assertThat(String.valueOf(table.get("queue"))).isEqualTo("upstream.orders");
            assertThat(table.get("time")).isEqualTo(new Date(1_700_000_000_000L));
        });
    }

    @Test
    void publishingToATopicThatNothingSubscribesToFailsWithNotFound() throws Exception {
        nativeChannel.exchangeDeclare(topic, BuiltinExchangeType.TOPIC, true);
        EventEnvelope event = EventEnvelope.builder().type("com.shop.order.placed").data("{}").build();

        MessagingException failure = catchThrowableOfType(() -> messaging.publisher().publishAndWait(topic, event),
                MessagingException.class);

        assertThat(failure).as("an unroutable publish fails").isNotNull();
        assertThat(failure.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(failure.getMessage()).contains(topic);
    }

    @Test
    void theSamePublishSucceedsOnceAGroupIsBound() throws Exception {
        nativeChannel.exchangeDeclare(topic, BuiltinExchangeType.TOPIC, true);
        EventEnvelope event = EventEnvelope.builder().type("com.shop.order.placed").data("{}").build();
        catchThrowableOfType(() -> messaging.publisher().publishAndWait(topic, event), MessagingException.class);
        messaging.provision(topic, GROUP);

        messaging.publisher().publishAndWait(topic, event);

        // basic.get is refused on a single-active-consumer quorum queue: count instead
        await().atMost(WAIT).until(() -> nativeChannel.queueDeclarePassive(queue()).getMessageCount() == 1);
    }

    private String queue() {
        return topic + "." + GROUP;
    }

    private String deadLetterQueue() {
        return queue() + ".dlq";
    }

    /** Takes one message from {@code queue} with a raw basic.get, waiting for it to arrive. */
    private GetResponse awaitMessage(String queue) {
        AtomicReference<GetResponse> taken = new AtomicReference<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            taken.set(nativeChannel.basicGet(queue, true));
            return taken.get() != null;
        });
        return taken.get();
    }

    /** The headers as text: amqp-client hands string headers over as {@code LongString}. */
    private static Map<String, String> textHeaders(AMQP.BasicProperties properties) {
        Map<String, String> text = new LinkedHashMap<>();
        new ArrayList<>(properties.getHeaders().entrySet()).forEach(h -> text.put(h.getKey(), String.valueOf(h.getValue())));
        return text;
    }
}
