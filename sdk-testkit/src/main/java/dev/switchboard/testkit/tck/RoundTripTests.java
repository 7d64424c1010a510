package dev.switchboard.testkit.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.BatchPublishResult;
import dev.switchboard.ErrorCode;
import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.MessagingException;
import dev.switchboard.PublishResult;
import dev.switchboard.Subscription;
import dev.switchboard.SwitchboardProperties;
import dev.switchboard.spi.BrokerDriver;
import dev.switchboard.spi.Capability;
import dev.switchboard.testkit.tck.TckEvents.OrderPlaced;
import dev.switchboard.testkit.tck.TckEvents.OrderShipped;
import dev.switchboard.testkit.tck.TckEvents.Unencodable;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Round trip: what is published arrives unchanged, attributes, extensions and payload bytes alike.
 *
 * @since 0.1
 */
public abstract class RoundTripTests extends TckSupport {

    @Test
    void everyCoreAttributeSurvives() {
        Messaging messaging = open();
        String topic = topic("attributes");
        Inbox<EventEnvelope> received = subscribeEnvelopes(messaging, topic, group("attributes"));
        EventEnvelope sent = EventEnvelope.builder()
                .id(id("attrs"))
                .source("urn:tck:round-trip")
                .type("tck.round.trip")
                .time(OffsetDateTime.of(2024, 2, 29, 23, 59, 58, 123_000_000, ZoneOffset.ofHours(2)))
                .subject("orders/o-42")
                .dataContentType("application/json")
                .dataSchema("https://schemas.example.com/tck/v1.json")
                .data("{\"a\":1}".getBytes())
                .build();

        send(messaging, topic, sent);

        awaitSize(received, 1);
        EventEnvelope got = received.snapshot().get(0);
        assertEquals(sent.id(), got.id());
        assertEquals(sent.source(), got.source());
        assertEquals(sent.type(), got.type());
        assertEquals(EventEnvelope.SPEC_VERSION, got.specVersion());
        assertNotNull(got.time(), "time");
        assertTrue(sent.time().isEqual(got.time()), () -> "time was " + got.time() + ", sent " + sent.time());
        assertEquals(sent.subject(), got.subject());
        assertEquals(sent.dataContentType(), got.dataContentType());
        assertEquals(sent.dataSchema(), got.dataSchema());
        assertEquals("{\"a\":1}", got.dataAsString());
    }

    @Test
    void twentyCustomExtensionsSurviveWithUnicodeDotsSpacesAndEmptyValues() {
        Messaging messaging = open();
        String topic = topic("extensions");
        Inbox<EventEnvelope> received = subscribeEnvelopes(messaging, topic, group("extensions"));
        List<String> values = List.of("plain", "Grüße aus Köln", "日本語のテキスト", "emoji 🚀✨", "a.b.c.d",
                "  leading and trailing spaces  ", "", "with\ttab", "semi;colon,comma=equals", "quote\"s 'and' back\\slash",
                "x", "1234567890", "ÅÄÖ åäö", "Ελληνικά", "עברית", "100%", "", "{\"json\":true}", "a b c", "...");
        Map<String, String> extensions = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
            extensions.put("tckext" + (char) ('a' + i), values.get(i));
        }
        EventEnvelope sent = TckEvents.note(id("ext")).toBuilder().extensions(extensions).build();

        send(messaging, topic, sent);

        awaitSize(received, 1);
        Map<String, String> got = received.snapshot().get(0).extensions();
        extensions.forEach((name, value) -> assertEquals(value, got.get(name), () -> "extension " + name));
    }

    @Test
    void firstClassExtensionsSurvive() {
        Messaging messaging = open();
        String topic = topic("first-class");
        Inbox<EventEnvelope> received = subscribeEnvelopes(messaging, topic, group("first-class"));
        EventEnvelope sent = TckEvents.note(id("fc")).toBuilder()
                .partitionKey("customer-7")
                .correlationId("corr-123")
                .causationId("cause-456")
                .traceParent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .traceState("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7")
                .build();

        send(messaging, topic, sent);

        awaitSize(received, 1);
        EventEnvelope got = received.snapshot().get(0);
        assertEquals(sent.partitionKey(), got.partitionKey());
        assertEquals(sent.correlationId(), got.correlationId());
        assertEquals(sent.causationId(), got.causationId());
        assertEquals(sent.traceParent(), got.traceParent());
        assertEquals(sent.traceState(), got.traceState());
    }

    @Test
    void binaryPayloadWithAllByteValuesSurvives() {
        Messaging messaging = open();
        String topic = topic("binary");
        Inbox<EventEnvelope> received = subscribeEnvelopes(messaging, topic, group("binary"));
        byte[] data = new byte[512];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 256);
        }

        send(messaging, topic, EventEnvelope.builder().type("tck.binary").dataContentType("application/octet-stream")
                .data(data).build());

        awaitSize(received, 1);
        assertArrayEquals(data, received.snapshot().get(0).data());
    }

    @Test
    void emptyPayloadSurvives() {
        Messaging messaging = open();
        String topic = topic("empty");
        Inbox<EventEnvelope> received = subscribeEnvelopes(messaging, topic, group("empty"));
        EventEnvelope sent = EventEnvelope.builder().id(id("empty")).type("tck.empty").build();

        send(messaging, topic, sent);

        awaitSize(received, 1);
        assertEquals(sent.id(), received.snapshot().get(0).id());
        assertEquals(0, received.snapshot().get(0).dataLength());
    }

    @Test
    void typedPayloadsDispatchByType() {
        Messaging messaging = open();
        String topic = topic("typed");
        Inbox<OrderPlaced> placed = new Inbox<>();
        Inbox<OrderShipped> shipped = new Inbox<>();
        messaging.subscribe(Subscription.to(topic).group(group("typed"))
                .on(OrderPlaced.class, (event, ctx) -> placed.add(event))
                .on(OrderShipped.class, (event, ctx) -> shipped.add(event)));
        List<OrderPlaced> placedSent = List.of(new OrderPlaced("o-1", 100), new OrderPlaced("o-2", 250));
        List<OrderShipped> shippedSent = List.of(new OrderShipped("o-1", "DHL"), new OrderShipped("o-3", "UPS"),
                new OrderShipped("o-4", "Grüße-Post"));

        for (int i = 0; i < 3; i++) {
            if (i < placedSent.size()) {
                send(messaging, topic, placedSent.get(i));
            }
            send(messaging, topic, shippedSent.get(i));
        }

        awaitUntil(() -> Set.copyOf(placed.snapshot()).containsAll(placedSent)
                && Set.copyOf(shipped.snapshot()).containsAll(shippedSent), () -> "placed " + placed + ", shipped " + shipped);
        assertDuringQuietPeriod(() -> Set.copyOf(placed.snapshot()).equals(Set.copyOf(placedSent))
                && Set.copyOf(shipped.snapshot()).equals(Set.copyOf(shippedSent)),
                () -> "placed " + placed + ", shipped " + shipped);
    }

    @Test
    void topicsAreIsolated() {
        Messaging messaging = open();
        String topicA = topic("isolated-a");
        String topicB = topic("isolated-b");
        String group = group("isolated");
        Inbox<EventEnvelope> onA = subscribeEnvelopes(messaging, topicA, group);
        Inbox<EventEnvelope> onB = subscribeEnvelopes(messaging, topicB, group);

        send(messaging, topicA, TckEvents.note("only-a"));
        send(messaging, topicB, TckEvents.note("only-b"));

        awaitUntil(() -> onA.size() >= 1 && onB.size() >= 1, () -> "A " + onA + ", B " + onB);
        assertDuringQuietPeriod(() -> Set.copyOf(onA.map(EventEnvelope::id)).equals(Set.of("only-a"))
                && Set.copyOf(onB.map(EventEnvelope::id)).equals(Set.of("only-b")), () -> "A " + onA + ", B " + onB);
    }

    @Test
    void payloadOf200KibSurvives() {
        Messaging messaging = open();

        roundTripsPayloadOf(messaging, 200 * 1024, "200k");
    }

    @Test
    void payloadOf1MibSurvives() {
        Messaging messaging = open();
        assumeCapability(messaging, Capability.LARGE_PAYLOADS);

        roundTripsPayloadOf(messaging, 1024 * 1024, "1m");
    }

    @Test
    void idSourceAndTimeAreFilledInWhenAbsent() {
        String serviceName = group("svc");
        Messaging messaging = open(Map.of(SwitchboardProperties.SERVICE_NAME, serviceName));
        String topic = topic("defaults");
        Inbox<EventEnvelope> received = subscribeEnvelopes(messaging, topic, group("defaults"));
        OffsetDateTime before = OffsetDateTime.now().minusSeconds(2);

        PublishResult result = send(messaging, topic, new OrderPlaced("o-9", 9));

        awaitSize(received, 1);
        EventEnvelope got = received.snapshot().get(0);
        assertFalse(got.id().isBlank(), "id");
        assertEquals(result.eventId(), got.id());
        assertEquals("/" + serviceName, got.source());
        assertNotNull(got.time(), "time must be set at publish");
        OffsetDateTime after = OffsetDateTime.now().plusSeconds(2);
        assertTrue(got.time().isAfter(before) && got.time().isBefore(after), () -> "time was " + got.time());
        assertEquals("tck.order.placed", got.type());
    }

    @Test
    void publishAllReportsEachEntryOnItsOwn() {
        Messaging messaging = open();
        String topic = topic("batch");
        Inbox<OrderPlaced> received = new Inbox<>();
        messaging.subscribe(Subscription.to(topic).group(group("batch")).on(OrderPlaced.class, (e, ctx) -> received.add(e)));
        List<Object> batch = List.of(new OrderPlaced("b-0", 0), new OrderPlaced("b-1", 1), new Unencodable(),
                new OrderPlaced("b-3", 3));

        BatchPublishResult result = join(messaging.publisher().publishAll(topic, batch));

        assertEquals(4, result.entries().size(), () -> "entries: " + result.entries());
        assertEquals(List.of(2), result.failures().stream().map(BatchPublishResult.Entry::index).toList());
        MessagingException error = result.entries().get(2).error().orElseThrow();
        assertEquals(ErrorCode.INVALID_ARGUMENT, error.code(), () -> "error " + error);
        for (int i : new int[] {0, 1, 3}) {
            assertTrue(result.entries().get(i).succeeded(), "entry " + i);
            assertEquals(i, result.entries().get(i).index());
        }
        awaitSize(received, 3);
        assertDuringQuietPeriod(() -> Set.copyOf(received.map(OrderPlaced::orderId)).equals(Set.of("b-0", "b-1", "b-3")),
                received::toString);
    }

    @Test
    void unencodablePayloadFailsWithInvalidArgumentAndNothingIsSent() {
        assertRejectedAndNothingSent("unencodable", messaging -> new Unencodable());
    }

    @Test
    void oversizeEventFailsWithInvalidArgumentAndNothingIsSent() {
        assertRejectedAndNothingSent("oversize", messaging -> {
            int limit = messaging.unwrap(BrokerDriver.class).orElseThrow().publisher().maxMessageBytes();
            return EventEnvelope.builder().type("tck.large").data(new byte[limit + 1]).build();
        });
    }

    /** Publishing what {@code event} makes fails with INVALID_ARGUMENT, and only a later marker arrives. */
    private void assertRejectedAndNothingSent(String name, Function<Messaging, Object> event) {
        Messaging messaging = open();
        String topic = topic(name);
        Inbox<EventEnvelope> received = subscribeEnvelopes(messaging, topic, group(name));

        MessagingException failure = failureOf(messaging.publisher().publish(topic, event.apply(messaging)));
        send(messaging, topic, TckEvents.note("marker"));

        assertEquals(ErrorCode.INVALID_ARGUMENT, failure.code(), () -> "failure " + failure);
        awaitSize(received, 1);
        assertDuringQuietPeriod(() -> Set.copyOf(received.map(EventEnvelope::id)).equals(Set.of("marker")),
                received::toString);
    }

    @Test
    void publishAndWaitReturnsTheEventIdAndTopic() {
        Messaging messaging = open();
        String topic = topic("publish-wait");
        Inbox<EventEnvelope> received = subscribeEnvelopes(messaging, topic, group("publish-wait"));
        EventEnvelope sent = TckEvents.note(id("wait"));

        PublishResult result = messaging.publisher().publishAndWait(topic, sent);

        assertEquals(sent.id(), result.eventId());
        assertEquals(topic, result.topic());
        assertNotNull(result.brokerReference());
        awaitSize(received, 1);
        assertEquals(sent.id(), received.snapshot().get(0).id());
    }

    /**
     * A large text payload (large events are JSON or text in practice; binary bytes are covered by
     * {@link #binaryPayloadWithAllByteValuesSurvives()}, and text-only transports such as SNS carry them
     * base64-encoded, a third larger).
     */
    private void roundTripsPayloadOf(Messaging messaging, int size, String what) {
        String topic = topic("large-" + what);
        Inbox<EventEnvelope> received = subscribeEnvelopes(messaging, topic, group("large-" + what));
        byte[] data = new byte[size];
        Random random = new Random(size);
        for (int i = 0; i < size; i++) {
            data[i] = (byte) ('a' + random.nextInt(26));
        }

        send(messaging, topic, EventEnvelope.builder().type("tck.large").dataContentType("text/plain")
                .data(data).build());

        awaitSize(received, 1);
        assertEquals(size, received.snapshot().get(0).dataLength());
        assertArrayEquals(data, received.snapshot().get(0).data());
    }

    /** Subscribes a raw-envelope handler that records everything it gets. */
    static Inbox<EventEnvelope> subscribeEnvelopes(Messaging messaging, String topic, String group) {
        Inbox<EventEnvelope> inbox = new Inbox<>();
        messaging.subscribe(Subscription.to(topic).group(group).onEnvelope((envelope, ctx) -> inbox.add(envelope)));
        return inbox;
    }
}
