package dev.switchboard.testkit.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Health;
import dev.switchboard.Messaging;
import dev.switchboard.RetryPolicy;
import dev.switchboard.Subscription;
import dev.switchboard.SubscriptionHealth;
import dev.switchboard.SubscriptionState;
import dev.switchboard.instrumentation.Instrumentation;
import dev.switchboard.micrometer.SwitchboardMetrics;
import dev.switchboard.opentelemetry.SwitchboardTracing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * Observability: the same metrics, traces, health and log context on every broker, with the real Micrometer
 * {@code SimpleMeterRegistry} and the real OpenTelemetry SDK (in-memory span exporter). The broker-outage test
 * runs only where {@link ConformanceHarness#canInterruptBroker()} is true.
 *
 * @since 0.2
 */
public abstract class ObservabilityTests extends TckSupport {
    private static final RetryPolicy THREE_ATTEMPTS = RetryPolicy.fixed(3, Duration.ofMillis(50));
    private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<String> GROUP = AttributeKey.stringKey("messaging.consumer.group.name");
    private static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    private static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("cloudevents.event_type");
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("messaging.operation.name");

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();

    /** A connection with the harness's properties and {@code observers}; closed after the test. */
    private Messaging openObserved(Instrumentation... observers) {
        Messaging messaging = harness().open(Map.of(), observers);
        track(() -> messaging.close(Duration.ofSeconds(5)));
        return messaging;
    }

    private SwitchboardTracing tracing() {
        SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
        track(tracerProvider::close);
        return SwitchboardTracing.create(OpenTelemetrySdk.builder().setTracerProvider(tracerProvider)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build());
    }

    @Test
    @Rule(id = "OB-01", check = "the traceparent/tracestate extensions travel as every other attribute (the driver's"
            + " header or attribute mapping); SwitchboardTracing's producer and consumer spans")
    void publishHandleAckIsOneProducerAndOneConsumerSpanInOneTrace() {
        Messaging messaging = openObserved(tracing());
        String topic = topic("traced");
        String group = group("traced");
        CountDownLatch handled = latch(1);
        messaging.subscribe(Subscription.to(topic).group(group).onEnvelope((e, ctx) -> handled.countDown()));
        String id = id("traced");

        send(messaging, topic, EventEnvelope.builder().id(id).type(TckEvents.NOTE_TYPE).data("{}").build());

        assertTrue(awaitLatch(handled), "the handler ran");
        awaitUntil(() -> spansOf(id).size() >= 2, () -> "spans of " + id + ": " + spansOf(id));
        assertDuringQuietPeriod(() -> spansOf(id).size() == 2, () -> "spans of " + id + ": " + spansOf(id));
        SpanData producer = only(id, SpanKind.PRODUCER);
        SpanData consumer = only(id, SpanKind.CONSUMER);
        assertEquals(producer.getTraceId(), consumer.getTraceId(), "one trace from publish to handling");
        assertEquals(producer.getSpanId(), consumer.getParentSpanId(), "the consumer span is the producer's child");
        assertEquals("send " + topic, producer.getName());
        assertEquals("process " + topic, consumer.getName());
        assertEquals(topic, producer.getAttributes().get(DESTINATION));
        assertEquals(topic, consumer.getAttributes().get(DESTINATION));
        assertEquals(group, consumer.getAttributes().get(GROUP));
        assertEquals(TckEvents.NOTE_TYPE, consumer.getAttributes().get(EVENT_TYPE));
        assertEquals("send", producer.getAttributes().get(OPERATION));
        assertEquals("process", consumer.getAttributes().get(OPERATION));
        assertTrue(producer.getAttributes().get(SYSTEM) != null && consumer.getAttributes().get(SYSTEM) != null,
                "messaging.system is set on both spans");
    }

    @Test
    @Rule(id = "OB-02", check = "the attempt count and the outcome reach the core the same way on every broker:"
            + " InboundMessage.attempt(), nack with delay, the dead-letter write's confirmation")
    void aRetriedThenDeadLetteredEventGivesTheSameCountersEverywhere() {
        MeterRegistry registry = new SimpleMeterRegistry();
        Messaging messaging = openObserved(new SwitchboardMetrics(registry));
        String topic = topic("counted");
        String group = group("counted");
        messaging.subscribe(Subscription.to(topic).group(group).retry(THREE_ATTEMPTS).onEnvelope((e, ctx) -> {
            throw new IllegalStateException("TCK: always failing");
        }));

        send(messaging, topic, TckEvents.note(id("counted")));

        awaitDeadLetters(messaging, topic, group, 1);
        awaitUntil(() -> counted(registry, SwitchboardMetrics.DEAD_LETTERS, topic) == 1,
                () -> "dead letters counted: " + counted(registry, SwitchboardMetrics.DEAD_LETTERS, topic));
        assertEquals(2, counted(registry, SwitchboardMetrics.RETRIES, topic), "retries");
        assertEquals(1, registry.get(SwitchboardMetrics.DEAD_LETTERS).tag("messaging.destination.name", topic)
                .tag("reason", "retries-exhausted").counter().count(), "dead letters with their reason");
        assertEquals(2, consumed(registry, topic, "retry_scheduled"), "consumed with outcome retry_scheduled");
        assertEquals(1, consumed(registry, topic, "dead_lettered"), "consumed with outcome dead_lettered");
        assertEquals(0, consumed(registry, topic, "acked"), "consumed with outcome acked");
        long handlerCalls = registry.find(SwitchboardMetrics.PROCESS_DURATION).tag("messaging.destination.name", topic)
                .timers().stream().mapToLong(Timer::count).sum();
        assertEquals(3, handlerCalls, "timed handler calls");
        assertEquals(1, registry.get(SwitchboardMetrics.SENT_MESSAGES).tag("messaging.destination.name", topic)
                .tag("error.type", "none").counter().count(), "sent messages");
    }

    @Test
    @Rule(id = "OB-03", check = "ReceiverDriver.connectivity() reports DISCONNECTED while the broker is down (or"
            + " receive fails), and the receiver recovers by itself once it is back, events flowing again")
    void healthTurnsToRecoveringWhileTheBrokerIsDownAndBackToRunning() {
        Assumptions.assumeTrue(harness().canInterruptBroker(), harness()::whyNoInterrupt);
        Messaging messaging = openObserved();
        String topic = topic("outage");
        String group = group("outage");
        Inbox<String> received = new Inbox<>();
        messaging.subscribe(Subscription.to(topic).group(group).onEnvelope((e, ctx) -> received.add(e.id())));
        awaitState(messaging, topic, SubscriptionState.RUNNING);
        assertEquals(Health.Status.UP, messaging.health().status(), () -> "health " + messaging.health());

        harness().interruptBroker();
        try {
            awaitState(messaging, topic, SubscriptionState.RECOVERING);
            Health down = messaging.health();
            assertNotEquals(Health.Status.UP, down.status(), () -> "health while the broker is down: " + down);
            assertTrue(down.isAlive(), () -> "a broker outage keeps the service alive: " + down);
            assertTrue(subscription(messaging, topic).cause().isPresent(), "a recovering subscription says why");
        } finally {
            harness().resumeBroker();
        }

        awaitState(messaging, topic, SubscriptionState.RUNNING);
        awaitUntil(() -> messaging.health().status() == Health.Status.UP, () -> "health " + messaging.health());
        String after = id("after-outage");
        send(messaging, topic, TckEvents.note(after));
        awaitUntil(() -> received.map(x -> x).contains(after), () -> "received after the outage: " + received);
    }

    @Test
    @Rule(id = "OB-04", check = "ReceiverDriver.lag(): the broker's count of the group's unacknowledged messages"
            + " (Kafka committed vs end offsets, RabbitMQ queue depth, SQS visible + not visible)")
    void lagRisesWhileHandlersAreHeldBackAndReturnsToZero() {
        Messaging messaging = openObserved();
        String topic = topic("lag");
        String group = group("lag");
        CountDownLatch release = latch(1);
        Inbox<String> handled = new Inbox<>();
        messaging.subscribe(Subscription.to(topic).group(group).concurrency(1).prefetch(2).onEnvelope((e, ctx) -> {
            awaitLatch(release);
            handled.add(e.id());
        }));
        awaitState(messaging, topic, SubscriptionState.RUNNING);

        for (EventEnvelope note : notes(id("lag"), 20)) {
            send(messaging, topic, note);
        }

        awaitUntil(() -> lagOf(messaging, topic).orElse(0) > 0, () -> "lag " + lagOf(messaging, topic));
        release.countDown();
        awaitSize(handled, 20);
        awaitUntil(() -> lagOf(messaging, topic).orElse(-1) == 0, () -> "lag after handling: " + lagOf(messaging, topic));
    }

    @Test
    @Rule(id = "OB-05", check = "the core sets the MDC on the handler thread; a driver that calls handlers on its own"
            + " threads would lose it")
    void theMdcNamesTheEventWhileItsHandlerRuns() {
        Messaging messaging = open();
        String topic = topic("mdc");
        String group = group("mdc");
        AtomicReference<Map<String, String>> seen = new AtomicReference<>();
        CountDownLatch handled = latch(1);
        messaging.subscribe(Subscription.to(topic).group(group).onEnvelope((e, ctx) -> {
            Map<String, String> mdc = MDC.getCopyOfContextMap();
            seen.set(mdc == null ? Map.of() : new HashMap<>(mdc));
            handled.countDown();
        }));
        String id = id("mdc");

        send(messaging, topic, EventEnvelope.builder().id(id).type(TckEvents.NOTE_TYPE).correlationId("corr-" + id)
                .data("{}").build());

        assertTrue(awaitLatch(handled), "the handler ran");
        Map<String, String> mdc = seen.get();
        Assumptions.assumeTrue(MdcProbe.works(), "the SLF4J binding on this classpath keeps no MDC (slf4j-simple or nop)");
        assertEquals(id, mdc.get("eventId"), () -> "MDC " + mdc);
        assertEquals(TckEvents.NOTE_TYPE, mdc.get("eventType"), () -> "MDC " + mdc);
        assertEquals(topic, mdc.get("eventTopic"), () -> "MDC " + mdc);
        assertEquals(group, mdc.get("eventGroup"), () -> "MDC " + mdc);
        assertEquals("1", mdc.get("eventAttempt"), () -> "MDC " + mdc);
        assertEquals("corr-" + id, mdc.get("correlationId"), () -> "MDC " + mdc);
    }

    @Test
    @Rule(id = "OB-06", check = "a successful receive (even an empty one) marks the subscription running; close"
            + " ends in DOWN")
    void healthIsUpWhileRunningAndDownOnceClosed() {
        Messaging messaging = openObserved();
        String topic = topic("health");
        messaging.subscribe(Subscription.to(topic).group(group("health")).onEnvelope((e, ctx) -> { }));

        awaitState(messaging, topic, SubscriptionState.RUNNING);
        Health running = messaging.health();
        assertTrue(running.isReady(), () -> "ready: " + running);
        SubscriptionHealth subscription = subscription(messaging, topic);
        assertTrue(subscription.sinceLastReceive().isPresent(), () -> "time since the last receive: " + subscription);
        assertFalse(subscription.cause().isPresent(), () -> "no cause while running: " + subscription);

        messaging.close(Duration.ofSeconds(5));
        assertEquals(Health.Status.DOWN, messaging.health().status());
    }

    private List<SpanData> spansOf(String eventId) {
        return spans.getFinishedSpanItems().stream().filter(s -> eventId.equals(s.getAttributes().get(MESSAGE_ID)))
                .toList();
    }

    private SpanData only(String eventId, SpanKind kind) {
        List<SpanData> found = spansOf(eventId).stream().filter(s -> s.getKind() == kind).toList();
        assertEquals(1, found.size(), () -> kind + " spans of " + eventId + ": " + found);
        return found.get(0);
    }

    private static double counted(MeterRegistry registry, String name, String topic) {
        return registry.find(name).tag("messaging.destination.name", topic).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private static double consumed(MeterRegistry registry, String topic, String outcome) {
        return registry.find(SwitchboardMetrics.CONSUMED_MESSAGES).tag("messaging.destination.name", topic)
                .tag("outcome", outcome).counters().stream().mapToDouble(Counter::count).sum();
    }

    private void awaitState(Messaging messaging, String topic, SubscriptionState state) {
        awaitUntil(() -> subscription(messaging, topic).state() == state,
                () -> "subscription " + topic + ": " + subscription(messaging, topic));
    }

    private static SubscriptionHealth subscription(Messaging messaging, String topic) {
        Optional<SubscriptionHealth> found = messaging.health().subscriptions().stream()
                .filter(s -> s.topic().equals(topic)).findFirst();
        assertTrue(found.isPresent(), () -> "no subscription to " + topic + " in " + messaging.health());
        return found.get();
    }

    private static OptionalLong lagOf(Messaging messaging, String topic) {
        return subscription(messaging, topic).lag();
    }

    /** Whether the SLF4J binding keeps MDC values at all. */
    private static final class MdcProbe {
        static boolean works() {
            MDC.put("switchboard.tck.probe", "x");
            try {
                return "x".equals(MDC.get("switchboard.tck.probe"));
            } finally {
                MDC.remove("switchboard.tck.probe");
            }
        }
    }
}
