package dev.switchboard.micrometer;

import static dev.switchboard.micrometer.Connections.connect;
import static dev.switchboard.micrometer.Connections.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.ErrorCode;
import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.MessagingException;
import dev.switchboard.RetryPolicy;
import dev.switchboard.Subscriber;
import dev.switchboard.Subscription;
import dev.switchboard.UnknownTypePolicy;
import dev.switchboard.inmemory.InMemoryBroker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The meters of {@link SwitchboardMetrics}, on a real {@code Messaging} over the in-memory broker. */
class SwitchboardMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String SYSTEM = "in-memory";
    private static final Tags PUBLISH = Tags.of("messaging.system", SYSTEM, "messaging.destination.name", "orders",
            "messaging.operation.name", "send");
    private static final Tags BILLING = Tags.of("messaging.system", SYSTEM, "messaging.destination.name", "orders",
            "messaging.consumer.group.name", "billing");

    private final InMemoryBroker broker = InMemoryBroker.create();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void closeBroker() {
        broker.close();
    }

    @Test
    void aPublishHandledAndAcknowledgedIsOneSendOneHandlerCallAndOneAckedConsumption() {
        CountDownLatch handled = new CountDownLatch(1);
        EventEnvelope placed = event("order.placed", "o-1");
        try (Messaging messaging = connect(broker, new SwitchboardMetrics(registry))) {
            messaging.subscribe(Subscription.to("orders").group("billing")
                    .on("order.placed", String.class, (text, ctx) -> handled.countDown()));
            messaging.publisher().publishAndWait("orders", placed);

            Tags sent = PUBLISH.and("cloudevents.event_type", "order.placed", "error.type", "none");
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(counter(SwitchboardMetrics.SENT_MESSAGES, sent)).isEqualTo(1);
                assertThat(consumed("acked", "order.placed")).isEqualTo(1);
            });
            Timer publishTimer = registry.get(SwitchboardMetrics.OPERATION_DURATION).tags(sent).timer();
            assertThat(publishTimer.count()).isEqualTo(1);
            assertThat(publishTimer.totalTime(TimeUnit.NANOSECONDS)).isPositive();
            Timer processTimer = registry.get(SwitchboardMetrics.PROCESS_DURATION).tags(BILLING)
                    .tags("cloudevents.event_type", "order.placed", "messaging.operation.name", "process",
                            "error.type", "none").timer();
            assertThat(processTimer.count()).isEqualTo(1);
            assertThat(handled.getCount()).isZero();
        }
        assertThat(sum(SwitchboardMetrics.CONSUMED_MESSAGES)).as("one consumption in all").isEqualTo(1);
        assertThat(Stream.of(SwitchboardMetrics.RETRIES, SwitchboardMetrics.DEAD_LETTERS, SwitchboardMetrics.SKIPPED,
                SwitchboardMetrics.DUPLICATES)).allSatisfy(name -> assertThat(registry.find(name).meters()).isEmpty());
        assertThat(tagValues()).as("an event id is never a tag").doesNotContain(placed.id());
    }

    @Test
    void aHandlerThatKeepsFailingIsRetriedOnceThenDeadLetteredWithItsReason() {
        try (Messaging messaging = connect(broker, new SwitchboardMetrics(registry))) {
            messaging.subscribe(Subscription.to("orders").group("billing")
                    .retry(RetryPolicy.fixed(2, Duration.ofMillis(20)))
                    .on("order.placed", String.class, (text, ctx) -> {
                        throw new IllegalStateException("payment service down");
                    }));
            messaging.publisher().publishAndWait("orders", event("order.placed", "o-1"));

            Tags placed = BILLING.and("cloudevents.event_type", "order.placed");
            await().atMost(WAIT).untilAsserted(() -> assertThat(
                    counter(SwitchboardMetrics.DEAD_LETTERS, placed.and("reason", "retries-exhausted"))).isEqualTo(1));
            assertThat(counter(SwitchboardMetrics.RETRIES, placed)).isEqualTo(1);
            assertThat(consumed("retry_scheduled", "order.placed")).isEqualTo(1);
            assertThat(consumed("dead_lettered", "order.placed")).isEqualTo(1);
            assertThat(consumed("acked", "order.placed")).isZero();
            assertThat(registry.get(SwitchboardMetrics.PROCESS_DURATION).tags(placed)
                    .tag("error.type", "IllegalStateException").timer().count()).as("both attempts timed").isEqualTo(2);
            assertThat(registry.find(SwitchboardMetrics.PROCESS_DURATION).tag("error.type", "none").timer()).isNull();
        }
    }

    @Test
    void aDuplicateAndASkippedTypeAreCountedAsSuchAndConsumed() {
        AtomicInteger calls = new AtomicInteger();
        try (Messaging messaging = connect(broker, new SwitchboardMetrics(registry))) {
            messaging.subscribe(Subscription.to("orders").group("billing")
                    .deduplicate(Duration.ofMinutes(1))
                    .unknownTypes(UnknownTypePolicy.SKIP)
                    .on("order.placed", String.class, (text, ctx) -> calls.incrementAndGet()));
            EventEnvelope placed = EventEnvelope.builder().id("e-1").type("order.placed").data("o-1").build();
            messaging.publisher().publishAndWait("orders", placed);
            messaging.publisher().publishAndWait("orders", placed);
            messaging.publisher().publishAndWait("orders", event("order.cancelled", "o-1"));

            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(counter(SwitchboardMetrics.DUPLICATES, BILLING.and("cloudevents.event_type", "order.placed")))
                        .isEqualTo(1);
                assertThat(counter(SwitchboardMetrics.SKIPPED, BILLING.and("cloudevents.event_type", "order.cancelled")))
                        .isEqualTo(1);
            });
            assertThat(consumed("acked", "order.placed")).isEqualTo(1);
            assertThat(consumed("duplicate", "order.placed")).isEqualTo(1);
            assertThat(consumed("skipped", "order.cancelled")).isEqualTo(1);
            assertThat(calls).hasValue(1);
            assertThat(registry.find(SwitchboardMetrics.PROCESS_DURATION).timers())
                    .as("only the handler call is timed").hasSize(1);
        }
    }

    @Test
    void theInFlightGaugeRisesWhileHandlersAreHeldAndFallsBackToZero() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (Messaging messaging = connect(broker, new SwitchboardMetrics(registry))) {
            Subscriber subscriber = messaging.subscribe(Subscription.to("orders").group("billing").concurrency(3)
                    .on("order.placed", String.class, (text, ctx) -> release.await()));
            assertThat(gauge(SwitchboardMetrics.IN_FLIGHT)).isZero();
            for (int i = 0; i < 3; i++) {
                messaging.publisher().publishAndWait("orders", event("order.placed", "o-" + i));
            }

            await().atMost(WAIT).untilAsserted(() -> assertThat(gauge(SwitchboardMetrics.IN_FLIGHT)).isEqualTo(3));
            release.countDown();
            await().atMost(WAIT).untilAsserted(() -> assertThat(gauge(SwitchboardMetrics.IN_FLIGHT)).isZero());
            // the in-memory broker reports its lag; the health report reads it in the background, once a second
            await().atMost(WAIT).untilAsserted(() -> assertThat(gauge(SwitchboardMetrics.CONSUMER_LAG))
                    .as("the lag gauge: the health report's lag").isZero());
            assertThat(messaging.health().subscriptions().get(0).lag()).hasValue(0);

            subscriber.close();
            assertThat(registry.find(SwitchboardMetrics.IN_FLIGHT).meters()).isEmpty();
            assertThat(registry.find(SwitchboardMetrics.CONSUMER_LAG).meters()).isEmpty();
        }
    }

    @Test
    void subscriptionsOfOneGroupShareTheGaugesWhichGoWithTheLastOfThem() {
        SwitchboardMetrics metrics = new SwitchboardMetrics(registry);
        try (Messaging first = connect(broker, metrics); Messaging second = connect(broker, metrics)) {
            Subscriber one = first.subscribe(Subscription.to("orders").group("billing")
                    .on("order.placed", String.class, (text, ctx) -> { }));
            Subscriber two = second.subscribe(Subscription.to("orders").group("billing")
                    .on("order.placed", String.class, (text, ctx) -> { }));
            assertThat(registry.find(SwitchboardMetrics.IN_FLIGHT).gauges()).hasSize(1);

            one.close();
            assertThat(registry.find(SwitchboardMetrics.IN_FLIGHT).gauges()).as("the second still runs").hasSize(1);
            assertThat(gauge(SwitchboardMetrics.IN_FLIGHT)).isZero();

            two.close();
            assertThat(registry.find(SwitchboardMetrics.IN_FLIGHT).gauges()).isEmpty();
            assertThat(registry.find(SwitchboardMetrics.CONSUMER_LAG).gauges()).isEmpty();
        }
    }

    @Test
    void closingTheMessagingRemovesItsGauges() {
        try (Messaging messaging = connect(broker, new SwitchboardMetrics(registry))) {
            messaging.subscribe(Subscription.to("orders").group("billing")
                    .on("order.placed", String.class, (text, ctx) -> { }));
            messaging.subscribe(Subscription.to("payments").group("billing")
                    .on("payment.taken", String.class, (text, ctx) -> { }));
            assertThat(registry.find(SwitchboardMetrics.IN_FLIGHT).gauges()).hasSize(2);
        }
        assertThat(registry.find(SwitchboardMetrics.IN_FLIGHT).gauges()).isEmpty();
        assertThat(registry.find(SwitchboardMetrics.CONSUMER_LAG).gauges()).isEmpty();
    }

    @Test
    void eventTypesPastTheLimitAreTaggedOther() {
        SwitchboardMetrics metrics = SwitchboardMetrics.builder(registry).maxEventTypes(2).build();
        try (Messaging messaging = connect(broker, metrics)) {
            for (String type : List.of("t1", "t2", "t3", "t4", "t1", "t3")) {
                messaging.publisher().publishAndWait("orders", event(type, "x"));
            }
            await().atMost(WAIT).untilAsserted(() -> assertThat(sum(SwitchboardMetrics.SENT_MESSAGES)).isEqualTo(6));
        }
        assertThat(sentOfType("t1")).isEqualTo(2);
        assertThat(sentOfType("t2")).isEqualTo(1);
        assertThat(sentOfType("_other")).isEqualTo(3);
        assertThat(tagValues()).doesNotContain("t3", "t4");
    }

    @Test
    void aFailedPublishIsCountedAndTimedWithItsErrorCode() {
        try (Messaging messaging = connect(broker, new SwitchboardMetrics(registry))) {
            assertThatThrownBy(() -> messaging.publisher().publishAndWait("orders",
                    Connections.oversizeEvent("order.placed")))
                    .isInstanceOfSatisfying(MessagingException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));

            Tags failed = PUBLISH.and("cloudevents.event_type", "order.placed", "error.type", "INVALID_ARGUMENT");
            await().atMost(WAIT).untilAsserted(() -> assertThat(counter(SwitchboardMetrics.SENT_MESSAGES, failed))
                    .isEqualTo(1));
            assertThat(registry.get(SwitchboardMetrics.OPERATION_DURATION).tags(failed).timer().count()).isEqualTo(1);
            assertThat(counter(SwitchboardMetrics.SENT_MESSAGES, PUBLISH.and("error.type", "none"))).isZero();
        }
    }

    @Test
    void theProcessTimerMeasuresTheHandlerCallOnTheRegistrysClock() {
        MockClock clock = new MockClock();
        SimpleMeterRegistry timed = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
        try (Messaging messaging = connect(broker, new SwitchboardMetrics(timed))) {
            messaging.subscribe(Subscription.to("orders").group("billing")
                    .on("order.placed", String.class, (text, ctx) -> clock.add(Duration.ofSeconds(3))));
            messaging.publisher().publishAndWait("orders", event("order.placed", "o-1"));

            await().atMost(WAIT).untilAsserted(() -> assertThat(
                    timed.get(SwitchboardMetrics.PROCESS_DURATION).timer().count()).isEqualTo(1));
            assertThat(timed.get(SwitchboardMetrics.PROCESS_DURATION).timer().totalTime(TimeUnit.SECONDS))
                    .isEqualTo(3.0);
        }
    }

    @Test
    void theEventTypeLimitCannotBeNegative() {
        assertThatThrownBy(() -> SwitchboardMetrics.builder(registry).maxEventTypes(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }

    private double counter(String name, Tags tags) {
        Counter counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    private double consumed(String outcome, String eventType) {
        return counter(SwitchboardMetrics.CONSUMED_MESSAGES, BILLING.and("cloudevents.event_type", eventType,
                "outcome", outcome, "messaging.operation.name", "process"));
    }

    private double sentOfType(String eventType) {
        return counter(SwitchboardMetrics.SENT_MESSAGES, PUBLISH.and("cloudevents.event_type", eventType,
                "error.type", "none"));
    }

    private double sum(String name) {
        return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }

    private double gauge(String name) {
        return registry.get(name).tags(BILLING).gauge().value();
    }

    private List<String> tagValues() {
        return registry.getMeters().stream().map(Meter::getId).flatMap(id -> id.getTags().stream())
                .map(Tag::getValue).toList();
    }
}
