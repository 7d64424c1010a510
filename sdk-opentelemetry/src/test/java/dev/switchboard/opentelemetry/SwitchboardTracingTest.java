package dev.switchboard.opentelemetry;

import static dev.switchboard.opentelemetry.TestTracing.ofKind;
import static dev.switchboard.opentelemetry.TestTracing.only;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.BatchPublishResult;
import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.RetryPolicy;
import dev.switchboard.Subscription;
import dev.switchboard.UnknownTypePolicy;
import dev.switchboard.inmemory.InMemoryBroker;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Traces of publishes and deliveries on the in-memory broker, exported by the real OpenTelemetry SDK: one trace from
 * publish to handling, spans and attributes as the messaging conventions name them, retries and dead letters as
 * span events, the context carried in the CloudEvents {@code traceparent} extension both ways.
 */
@SuppressWarnings("try") // try (Scope ignored = span.makeCurrent()) { ... }
class SwitchboardTracingTest {
    private static final String TOPIC = "orders";
    private static final String GROUP = "billing";
    private static final String TYPE = "com.shop.order.placed";
    /** A W3C traceparent as a producer that is not Switchboard would write it. */
    private static final String FOREIGN_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String FOREIGN_SPAN_ID = "00f067aa0ba902b7";
    private static final String FOREIGN_TRACEPARENT = "00-" + FOREIGN_TRACE_ID + "-" + FOREIGN_SPAN_ID + "-01";

    private final TestTracing tracing = new TestTracing();
    private final InMemoryBroker broker = InMemoryBroker.create();
    private final Messaging messaging = Messaging.builder()
            .properties(broker.properties())
            .instrumentation(SwitchboardTracing.create(tracing.sdk))
            .build();

    @AfterEach
    void close() {
        messaging.close();
        broker.close();
        tracing.close();
    }

    /**
     * An event prepared inside a request's span and published later from another thread (as an outbox relay does):
     * its send span is a child of the request's span, and the handler's span continues the same trace.
     */
    @Test
    void anEventPreparedNowAndPublishedLaterElsewhereContinuesTheTraceOfItsPreparation() throws Exception {
        messaging.subscribe(Subscription.to(TOPIC).group(GROUP).on(TYPE, String.class, (text, ctx) -> { }));
        Span request = tracing.sdk.getTracer("test").spanBuilder("POST /orders").startSpan();
        EventEnvelope prepared;
        try (Scope ignored = request.makeCurrent()) {
            prepared = messaging.publisher().prepare(EventEnvelope.builder().id("evt-later").type(TYPE).data("x").build());
        } finally {
            request.end();
        }
        assertThat(prepared.traceParent()).hasValueSatisfying(traceparent -> assertThat(traceparent)
                .contains(request.getSpanContext().getTraceId()).contains(request.getSpanContext().getSpanId()));

        Thread relay = new Thread(() -> messaging.publisher().publishAndWait(TOPIC, prepared), "relay");
        relay.start();
        relay.join();

        List<SpanData> spans = tracing.awaitSpans(3);
        SpanData producer = only(spans, SpanKind.PRODUCER);
        assertThat(producer.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
        assertThat(spans).extracting(SpanData::getTraceId).containsOnly(request.getSpanContext().getTraceId());
        assertThat(only(spans, SpanKind.CONSUMER).getParentSpanId()).isEqualTo(producer.getSpanId());
    }

    @Test
    void anEventPreparedWithoutACurrentSpanCarriesNoContext() {
        assertThat(messaging.publisher().prepare(EventEnvelope.builder().type(TYPE).data("x").build()).extensions())
                .isEmpty();
    }

    @Test
    void withLinkToProducerTheConsumerSpanAlsoLinksToItsParentTheProducer() {
        try (Messaging linked = Messaging.builder().properties(broker.properties())
                .instrumentation(SwitchboardTracing.builder(tracing.sdk).linkToProducer(true).build()).build()) {
            linked.subscribe(Subscription.to(TOPIC).group(GROUP).on(TYPE, String.class, (text, ctx) -> { }));

            linked.publisher().publishAndWait(TOPIC, EventEnvelope.builder().id("evt-2").type(TYPE).data("x").build());

            List<SpanData> spans = tracing.awaitSpans(2);
            SpanData producer = only(spans, SpanKind.PRODUCER);
            SpanData consumer = only(spans, SpanKind.CONSUMER);
            assertThat(consumer.getParentSpanId()).isEqualTo(producer.getSpanId());
            assertThat(consumer.getLinks()).extracting(LinkData::getSpanContext).extracting(SpanContext::getSpanId)
                    .containsExactly(producer.getSpanId());
        }
    }

    @Test
    void aPublishAndItsHandlingAreOneTraceOfOneProducerAndOneConsumerSpan() {
        List<EventEnvelope> handled = new CopyOnWriteArrayList<>();
        messaging.subscribe(Subscription.to(TOPIC).group(GROUP).on(TYPE, String.class, (text, ctx) -> handled.add(ctx.envelope())));

        messaging.publisher().publishAndWait(TOPIC, EventEnvelope.builder()
                .id("evt-1").type(TYPE).source("/shop/orders").subject("orders/o-42").correlationId("req-7")
                .data("hello").build());

        List<SpanData> spans = tracing.awaitSpans(2);
        assertThat(spans).hasSize(2);
        SpanData producer = only(spans, SpanKind.PRODUCER);
        SpanData consumer = only(spans, SpanKind.CONSUMER);

        assertThat(producer.getName()).isEqualTo("send orders");
        assertThat(producer.getParentSpanContext().isValid()).as("the producer span is a root").isFalse();
        assertThat(producer.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(producer.getInstrumentationScopeInfo().getName()).isEqualTo("dev.switchboard");
        assertThat(producer.getInstrumentationScopeInfo().getVersion()).isNotBlank().doesNotContain("${");
        assertThat(producer.getAttributes().asMap()).isEqualTo(Attributes.builder()
                .put("messaging.system", "in-memory")
                .put("messaging.destination.name", TOPIC)
                .put("messaging.operation.name", "send")
                .put("messaging.operation.type", "send")
                .put("messaging.message.id", "evt-1")
                .put("messaging.message.body.size", 5L)
                .put("messaging.message.conversation_id", "req-7")
                .put("cloudevents.event_type", TYPE)
                .put("cloudevents.event_source", "/shop/orders")
                .put("cloudevents.event_subject", "orders/o-42")
                .build().asMap());

        assertThat(consumer.getName()).isEqualTo("process orders");
        assertThat(consumer.getTraceId()).isEqualTo(producer.getTraceId());
        assertThat(consumer.getParentSpanId()).isEqualTo(producer.getSpanId());
        assertThat(consumer.getParentSpanContext().isRemote()).as("parent extracted from the event").isTrue();
        assertThat(consumer.getLinks()).as("its parent is the producer's context: no link by default").isEmpty();
        assertThat(consumer.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(consumer.getAttributes().asMap()).isEqualTo(Attributes.builder()
                .put("messaging.system", "in-memory")
                .put("messaging.destination.name", TOPIC)
                .put("messaging.consumer.group.name", GROUP)
                .put("messaging.operation.name", "process")
                .put("messaging.operation.type", "process")
                .put("messaging.message.id", "evt-1")
                .put("messaging.message.body.size", 5L)
                .put("messaging.message.conversation_id", "req-7")
                .put("cloudevents.event_type", TYPE)
                .put("cloudevents.event_source", "/shop/orders")
                .put("cloudevents.event_subject", "orders/o-42")
                .put("switchboard.delivery.attempt", 1L)
                .put("switchboard.delivery.outcome", "acked")
                .build().asMap());

        assertThat(handled).singleElement().satisfies(envelope -> {
            assertThat(envelope.traceParent()).contains(traceparent(producer.getSpanContext()));
            assertThat(envelope.traceState()).as("an empty trace state is not written").isEmpty();
        });
    }

    @Test
    void theConsumerSpanIsCurrentInTheHandlerAndSpansTheHandlerStartsAreItsChildren() {
        AtomicReference<SpanContext> currentInHandler = new AtomicReference<>();
        messaging.subscribe(Subscription.to(TOPIC).group(GROUP).on(TYPE, String.class, (text, ctx) -> {
            currentInHandler.set(Span.current().getSpanContext());
            tracing.appTracer().spanBuilder("charge card").startSpan().end();
        }));

        messaging.publisher().publishAndWait(TOPIC, event("evt-1"));

        List<SpanData> spans = tracing.awaitSpans(3);
        SpanData consumer = only(spans, SpanKind.CONSUMER);
        SpanData child = byName(spans).get("charge card");
        assertThat(currentInHandler.get()).isEqualTo(consumer.getSpanContext());
        assertThat(child.getTraceId()).isEqualTo(consumer.getTraceId());
        assertThat(child.getParentSpanId()).isEqualTo(consumer.getSpanId());
        assertThat(child.getParentSpanContext().isRemote()).isFalse();
    }

    @Test
    void aRetriedThenDeadLetteredEventGivesAConsumerSpanPerAttemptWithRetryAndDeadLetterEvents() {
        messaging.subscribe(Subscription.to(TOPIC).group(GROUP).retry(RetryPolicy.fixed(2, Duration.ofMillis(50)))
                .on(TYPE, String.class, (text, ctx) -> {
                    throw new IllegalStateException("card declined");
                }));

        messaging.publisher().publishAndWait(TOPIC, event("evt-1"));

        broker.deadLettered().within(TestTracing.TIMEOUT).awaitCount(1);
        List<SpanData> spans = tracing.awaitSpans(3);
        SpanData producer = only(spans, SpanKind.PRODUCER);
        List<SpanData> attempts = ofKind(spans, SpanKind.CONSUMER).stream()
                .sorted(Comparator.comparing(span -> span.getAttributes().get(longKey("switchboard.delivery.attempt"))))
                .toList();
        assertThat(attempts).hasSize(2).allSatisfy(attempt -> {
            assertThat(attempt.getTraceId()).isEqualTo(producer.getTraceId());
            assertThat(attempt.getParentSpanId()).isEqualTo(producer.getSpanId());
            assertThat(attempt.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(attempt.getAttributes().get(stringKey("error.type"))).isEqualTo("java.lang.IllegalStateException");
            assertThat(attempt.getEvents()).extracting(EventData::getName).first().isEqualTo("exception");
        });

        SpanData first = attempts.get(0);
        assertThat(first.getAttributes().get(longKey("switchboard.delivery.attempt"))).isEqualTo(1L);
        assertThat(first.getAttributes().get(stringKey("switchboard.delivery.outcome"))).isEqualTo("retry_scheduled");
        assertThat(first.getEvents()).extracting(EventData::getName).containsExactly("exception", "retry");
        assertThat(event(first, "retry").getAttributes().asMap()).isEqualTo(Map.of(
                longKey("switchboard.delivery.attempt"), 1L, longKey("switchboard.retry.delay_ms"), 50L));

        SpanData last = attempts.get(1);
        assertThat(last.getAttributes().get(longKey("switchboard.delivery.attempt"))).isEqualTo(2L);
        assertThat(last.getAttributes().get(stringKey("switchboard.delivery.outcome"))).isEqualTo("dead_lettered");
        assertThat(last.getEvents()).extracting(EventData::getName).containsExactly("exception", "dead_letter");
        assertThat(event(last, "dead_letter").getAttributes().asMap()).isEqualTo(Map.of(
                stringKey("switchboard.dead_letter.reason"), "retries-exhausted",
                longKey("switchboard.delivery.attempt"), 2L));
    }

    @Test
    void publishingInsideASpanMakesTheProducerSpanItsChild() {
        messaging.subscribe(Subscription.to(TOPIC).group(GROUP).on(TYPE, String.class, (text, ctx) -> { }));

        Span checkout = tracing.appTracer().spanBuilder("checkout").startSpan();
        try (Scope ignored = checkout.makeCurrent()) {
            messaging.publisher().publishAndWait(TOPIC, event("evt-1"));
        } finally {
            checkout.end();
        }

        List<SpanData> spans = tracing.awaitSpans(3);
        SpanData caller = byName(spans).get("checkout");
        SpanData producer = only(spans, SpanKind.PRODUCER);
        SpanData consumer = only(spans, SpanKind.CONSUMER);
        assertThat(producer.getTraceId()).isEqualTo(caller.getTraceId());
        assertThat(producer.getParentSpanId()).isEqualTo(caller.getSpanId());
        assertThat(producer.getLinks()).as("the event carried no context of its own").isEmpty();
        assertThat(consumer.getTraceId()).isEqualTo(caller.getTraceId());
        assertThat(consumer.getParentSpanId()).isEqualTo(producer.getSpanId());
    }

    @Test
    void aTraceparentWrittenByAForeignProducerIsContinuedByTheConsumer() {
        AtomicReference<SpanContext> currentInHandler = new AtomicReference<>();
        messaging.subscribe(Subscription.to(TOPIC).group(GROUP).on(TYPE, String.class,
                (text, ctx) -> currentInHandler.set(Span.current().getSpanContext())));

        try (Messaging foreign = broker.connect()) { // no tracing: the traceparent is sent as it was written
            foreign.publisher().publishAndWait(TOPIC, EventEnvelope.builder().id("evt-1").type(TYPE).data("hello")
                    .traceParent(FOREIGN_TRACEPARENT).traceState("vendor=abc").build());
        }

        SpanData consumer = tracing.awaitSpans(1).get(0);
        assertThat(consumer.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(consumer.getTraceId()).isEqualTo(FOREIGN_TRACE_ID);
        assertThat(consumer.getParentSpanId()).isEqualTo(FOREIGN_SPAN_ID);
        assertThat(consumer.getSpanContext().getTraceState().get("vendor")).isEqualTo("abc");
        assertThat(consumer.getLinks()).isEmpty();
        assertThat(currentInHandler.get()).isEqualTo(consumer.getSpanContext());
    }

    @Test
    void anEventThatCarriesAContextPublishedOutsideAnySpanContinuesItsTrace() {
        messaging.subscribe(Subscription.to(TOPIC).group(GROUP).on(TYPE, String.class, (text, ctx) -> { }));

        // a dead letter replayed, say: the event carries its first producer's context, the caller has no span
        messaging.publisher().publishAndWait(TOPIC, EventEnvelope.builder().id("evt-1").type(TYPE).data("hello")
                .traceParent(FOREIGN_TRACEPARENT).traceState("vendor=abc").build());

        List<SpanData> spans = tracing.awaitSpans(2);
        SpanData producer = only(spans, SpanKind.PRODUCER);
        SpanData consumer = only(spans, SpanKind.CONSUMER);
        assertThat(producer.getTraceId()).isEqualTo(FOREIGN_TRACE_ID);
        assertThat(producer.getParentSpanId()).isEqualTo(FOREIGN_SPAN_ID);
        assertThat(producer.getLinks()).as("its parent is the carried context already").isEmpty();
        assertThat(consumer.getParentSpanId()).isEqualTo(producer.getSpanId());
        EventEnvelope sent = broker.published().onTopic(TOPIC).envelopes().get(0);
        assertThat(sent.traceParent()).contains(traceparent(producer.getSpanContext()))
                .hasValueSatisfying(value -> assertThat(value).startsWith("00-" + FOREIGN_TRACE_ID + "-"));
        assertThat(sent.traceState()).as("the trace state goes on with its trace").contains("vendor=abc");
    }

    @Test
    void anEventThatCarriesAContextPublishedInsideASpanBecomesTheSpansChildAndLinksToTheCarriedContext() {
        Span handler = tracing.appTracer().spanBuilder("forward").startSpan();
        try (Scope ignored = handler.makeCurrent()) {
            messaging.publisher().publishAndWait(TOPIC, EventEnvelope.builder().id("evt-1").type(TYPE).data("hello")
                    .traceParent(FOREIGN_TRACEPARENT).traceState("vendor=abc").build());
        } finally {
            handler.end();
        }

        List<SpanData> spans = tracing.awaitSpans(2);
        SpanData caller = byName(spans).get("forward");
        SpanData producer = only(spans, SpanKind.PRODUCER);
        assertThat(producer.getParentSpanId()).isEqualTo(caller.getSpanId());
        assertThat(producer.getLinks()).extracting(LinkData::getSpanContext).singleElement().satisfies(link -> {
            assertThat(link.getTraceId()).isEqualTo(FOREIGN_TRACE_ID);
            assertThat(link.getSpanId()).isEqualTo(FOREIGN_SPAN_ID);
        });
        EventEnvelope sent = broker.published().onTopic(TOPIC).envelopes().get(0);
        assertThat(sent.traceParent()).contains(traceparent(producer.getSpanContext()));
        assertThat(producer.getTraceId()).isEqualTo(caller.getTraceId());
        assertThat(sent.traceState()).as("the old trace's state does not travel with the new trace").contains("");
    }

    @Test
    void aFailedPublishMarksTheProducerSpanAsAnError() {
        broker.stop();

        assertThatThrownBy(() -> messaging.publisher().publish("payments", event("evt-1")).toCompletableFuture().join())
                .isInstanceOf(CompletionException.class);

        SpanData producer = tracing.awaitSpans(1).get(0);
        assertThat(producer.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(producer.getName()).isEqualTo("send payments");
        assertThat(producer.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(producer.getAttributes().get(stringKey("error.type"))).isEqualTo("UNAVAILABLE");
        assertThat(producer.getEvents()).extracting(EventData::getName).containsExactly("exception");
        assertThat(event(producer, "exception").getAttributes().get(stringKey("exception.type")))
                .isEqualTo("dev.switchboard.MessagingException");
    }

    @Test
    void publishAllGivesOneProducerSpanPerEventEachTheParentOfItsEventsConsumerSpan() {
        messaging.subscribe(Subscription.to(TOPIC).group(GROUP).on(TYPE, String.class, (text, ctx) -> { }));

        Span importing = tracing.appTracer().spanBuilder("import").startSpan();
        BatchPublishResult result;
        try (Scope ignored = importing.makeCurrent()) {
            result = messaging.publisher().publishAll(TOPIC, List.of(event("evt-1"), event("evt-2"), event("evt-3")))
                    .toCompletableFuture().join();
        } finally {
            importing.end();
        }

        assertThat(result.entries()).allSatisfy(entry -> assertThat(entry.error()).isEmpty());
        List<SpanData> spans = tracing.awaitSpans(7);
        SpanData caller = byName(spans).get("import");
        Map<String, SpanData> producers = byMessageId(ofKind(spans, SpanKind.PRODUCER));
        Map<String, SpanData> consumers = byMessageId(ofKind(spans, SpanKind.CONSUMER));
        assertThat(producers).containsOnlyKeys("evt-1", "evt-2", "evt-3");
        assertThat(consumers).containsOnlyKeys("evt-1", "evt-2", "evt-3");
        assertThat(producers.values()).extracting(SpanData::getSpanId).doesNotHaveDuplicates();
        producers.forEach((id, producer) -> {
            assertThat(producer.getName()).isEqualTo("send orders");
            assertThat(producer.getParentSpanId()).isEqualTo(caller.getSpanId());
            assertThat(producer.getAttributes().get(longKey("messaging.batch.message_count")))
                    .as("each span is of one message").isNull();
            assertThat(consumers.get(id).getParentSpanId()).isEqualTo(producer.getSpanId());
        });
    }

    @Test
    void baggageTravelsWithTheEventAndIsCurrentInTheHandler() {
        AtomicReference<String> tenantInHandler = new AtomicReference<>();
        messaging.subscribe(Subscription.to(TOPIC).group(GROUP).on(TYPE, String.class,
                (text, ctx) -> tenantInHandler.set(Baggage.current().getEntryValue("tenant"))));

        try (Scope ignored = Baggage.builder().put("tenant", "acme").build().makeCurrent()) {
            messaging.publisher().publishAndWait(TOPIC, event("evt-1"));
        }

        tracing.awaitSpans(2);
        assertThat(tenantInHandler.get()).isEqualTo("acme");
        assertThat(broker.published().onTopic(TOPIC).envelopes().get(0).extension("baggage")).contains("tenant=acme");
    }

    @Test
    void aDeliveryDeadLetteredWithoutAHandlerCallGetsAShortConsumerSpanAndASkippedOneNone() {
        messaging.subscribe(Subscription.to(TOPIC).group("strict").unknownTypes(UnknownTypePolicy.DEAD_LETTER)
                .on(TYPE, String.class, (text, ctx) -> { }));
        messaging.subscribe(Subscription.to(TOPIC).group("lenient").on(TYPE, String.class, (text, ctx) -> { }));

        messaging.publisher().publishAndWait(TOPIC, EventEnvelope.builder().id("evt-1").type("com.shop.unknown")
                .data("?").build());

        broker.deadLettered().within(TestTracing.TIMEOUT).awaitCount(1);
        broker.consumed().inGroup("lenient").within(TestTracing.TIMEOUT).awaitCount(1);
        List<SpanData> spans = tracing.awaitSpans(2);
        messaging.close(); // drains both subscriptions: every outcome has been reported
        spans = tracing.exporter.getFinishedSpanItems();

        SpanData producer = only(spans, SpanKind.PRODUCER);
        SpanData deadLettered = only(spans, SpanKind.CONSUMER);
        assertThat(deadLettered.getName()).isEqualTo("process orders");
        assertThat(deadLettered.getAttributes().get(stringKey("messaging.consumer.group.name"))).isEqualTo("strict");
        assertThat(deadLettered.getAttributes().get(stringKey("switchboard.delivery.outcome"))).isEqualTo("dead_lettered");
        assertThat(deadLettered.getParentSpanId()).isEqualTo(producer.getSpanId());
        assertThat(deadLettered.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(deadLettered.getAttributes().get(stringKey("error.type"))).isEqualTo("java.lang.IllegalArgumentException");
        assertThat(deadLettered.getEvents()).extracting(EventData::getName).containsExactly("dead_letter", "exception");
        assertThat(event(deadLettered, "dead_letter").getAttributes().get(stringKey("switchboard.dead_letter.reason")))
                .isEqualTo("unknown-type");
    }

    @Test
    void anUndecodablePayloadEndsItsConsumerSpanWithTheDecodeFailure() {
        record Order(String id, long cents) { }
        messaging.subscribe(Subscription.to(TOPIC).group(GROUP).on(TYPE, Order.class, (order, ctx) -> { }));

        messaging.publisher().publishAndWait(TOPIC, EventEnvelope.builder().id("evt-1").type(TYPE)
                .dataContentType("application/json").data("{not json".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .build());

        broker.deadLettered().within(TestTracing.TIMEOUT).awaitCount(1);
        SpanData consumer = only(tracing.awaitSpans(2), SpanKind.CONSUMER);
        assertThat(consumer.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(consumer.getAttributes().get(stringKey("error.type"))).isNotBlank();
        assertThat(consumer.getEvents()).extracting(EventData::getName).containsExactly("dead_letter", "exception");
        assertThat(event(consumer, "dead_letter").getAttributes().get(stringKey("switchboard.dead_letter.reason")))
                .isEqualTo("undecodable");
    }

    private static EventEnvelope event(String id) {
        return EventEnvelope.builder().id(id).type(TYPE).data("hello").build();
    }

    /** The W3C traceparent of {@code span}: version, trace id, span id, flags (sampled, and random where set). */
    static String traceparent(SpanContext span) {
        return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
    }

    private static EventData event(SpanData span, String name) {
        return span.getEvents().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no event " + name + " on " + span));
    }

    private static Map<String, SpanData> byName(List<SpanData> spans) {
        return spans.stream().collect(Collectors.toMap(SpanData::getName, Function.identity(), (a, b) -> a));
    }

    private static Map<String, SpanData> byMessageId(List<SpanData> spans) {
        return spans.stream().collect(Collectors.toMap(
                span -> span.getAttributes().get(stringKey("messaging.message.id")), Function.identity()));
    }

    private static AttributeKey<String> stringKey(String name) {
        return AttributeKey.stringKey(name);
    }

    private static AttributeKey<Long> longKey(String name) {
        return AttributeKey.longKey(name);
    }
}
