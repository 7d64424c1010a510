package dev.switchboard.micrometer;

import static dev.switchboard.micrometer.Connections.connect;
import static dev.switchboard.micrometer.Connections.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.MessagingException;
import dev.switchboard.RetryPolicy;
import dev.switchboard.Subscription;
import dev.switchboard.inmemory.InMemoryBroker;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The observations of {@link SwitchboardObservations}, on a real {@code Messaging} over the in-memory broker. */
class SwitchboardObservationsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PUBLISH = DefaultEventSenderObservationConvention.NAME;
    private static final String PROCESS = DefaultEventReceiverObservationConvention.NAME;

    private final InMemoryBroker broker = InMemoryBroker.create();
    private final TestObservationRegistry registry = TestObservationRegistry.create();
    private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
    /** The contextual name of the last event of each name. */
    private final Map<String, String> events = new ConcurrentHashMap<>();

    @AfterEach
    void closeBroker() {
        broker.close();
    }

    @Test
    void aPublishAndItsHandlerCallAreAProducerAndAConsumerObservationWithTheirKeyValues() {
        recordStopped();
        EventEnvelope placed = event("order.placed", "o-1");
        try (Messaging messaging = connect(broker, new SwitchboardObservations(registry))) {
            messaging.subscribe(Subscription.to("orders").group("billing")
                    .on("order.placed", String.class, (text, ctx) -> { }));
            messaging.publisher().publishAndWait("orders", placed);
            awaitStopped(PROCESS, 1);
        }

        TestObservationRegistryAssert.assertThat(registry)
                .hasNumberOfObservationsWithNameEqualTo(PUBLISH, 1)
                .hasNumberOfObservationsWithNameEqualTo(PROCESS, 1)
                .hasObservationWithNameEqualTo(PUBLISH).that()
                .hasBeenStarted().hasBeenStopped()
                .hasContextualNameEqualTo("send orders")
                .hasLowCardinalityKeyValue("messaging.system", "in-memory")
                .hasLowCardinalityKeyValue("messaging.destination.name", "orders")
                .hasLowCardinalityKeyValue("messaging.operation.name", "send")
                .hasLowCardinalityKeyValue("cloudevents.event_type", "order.placed")
                .hasLowCardinalityKeyValue("error.type", "none")
                .hasHighCardinalityKeyValue("cloudevents.event_id", placed.id())
                .backToTestObservationRegistry()
                .hasObservationWithNameEqualTo(PROCESS).that()
                .hasBeenStarted().hasBeenStopped()
                .hasContextualNameEqualTo("process orders")
                .hasLowCardinalityKeyValue("messaging.system", "in-memory")
                .hasLowCardinalityKeyValue("messaging.destination.name", "orders")
                .hasLowCardinalityKeyValue("messaging.operation.name", "process")
                .hasLowCardinalityKeyValue("messaging.consumer.group.name", "billing")
                .hasLowCardinalityKeyValue("cloudevents.event_type", "order.placed")
                .hasLowCardinalityKeyValue("error.type", "none")
                .hasLowCardinalityKeyValue("outcome", "acked")
                .hasHighCardinalityKeyValue("cloudevents.event_id", placed.id())
                .hasHighCardinalityKeyValue("switchboard.attempt", "1")
                .hasHighCardinalityKeyValueWithKey("messaging.message.id")
                .doesNotHaveError();
    }

    @Test
    void theTraceContextAPropagatingHandlerWritesTravelsInTheEventToTheConsumersContext() {
        Map<String, String> extracted = new ConcurrentHashMap<>();
        registry.observationConfig().observationHandler(new Injecting()).observationHandler(new Extracting(extracted));
        AtomicReference<EventEnvelope> received = new AtomicReference<>();
        try (Messaging messaging = connect(broker, new SwitchboardObservations(registry))) {
            messaging.subscribe(Subscription.to("orders").group("billing")
                    .on("order.placed", String.class, (text, ctx) -> received.set(ctx.envelope())));
            messaging.publisher().publishAndWait("orders", event("order.placed", "o-1"));
            await().atMost(WAIT).until(() -> received.get() != null);
        }

        assertThat(received.get().traceParent()).hasValue(Injecting.TRACEPARENT);
        assertThat(received.get().extensions()).as("a field name that is no extension name, made one")
                .containsEntry("xb3traceid", "463ac35c9f6413ad");
        assertThat(extracted).containsEntry("traceparent", Injecting.TRACEPARENT)
                .containsEntry("X-B3-TraceId", "463ac35c9f6413ad");
    }

    @Test
    void theConsumerObservationIsCurrentInTheHandlerAndParentOfWhatItPublishes() {
        recordStopped();
        AtomicReference<Observation> current = new AtomicReference<>();
        try (Messaging messaging = connect(broker, new SwitchboardObservations(registry))) {
            messaging.subscribe(Subscription.to("orders").group("billing")
                    .on("order.placed", String.class, (text, ctx) -> {
                        current.set(registry.getCurrentObservation());
                        messaging.publisher().publishAndWait("invoices", event("invoice.due", text));
                    }));
            messaging.publisher().publishAndWait("orders", event("order.placed", "o-1"));
            awaitStopped(PROCESS, 1);
            awaitStopped(PUBLISH, 2);
        }

        assertThat(current.get()).isNotNull();
        assertThat(current.get().getContext()).isInstanceOfSatisfying(EventReceiverContext.class,
                context -> assertThat(context.topic()).isEqualTo("orders"));
        assertThat(registry.getCurrentObservation()).as("the scope closed with the handler call").isNull();
        TestObservationRegistryAssert.assertThat(registry).hasAnObservation(observation -> observation
                .hasContextualNameEqualTo("send invoices")
                .hasParentObservationContextMatching(parent -> parent instanceof EventReceiverContext));
    }

    @Test
    void aRetryAndTheDeadLetterAreEventsOfTheAttemptsObservations() {
        recordStopped();
        try (Messaging messaging = connect(broker, new SwitchboardObservations(registry))) {
            messaging.subscribe(Subscription.to("orders").group("billing")
                    .retry(RetryPolicy.fixed(2, Duration.ofMillis(20)))
                    .on("order.placed", String.class, (text, ctx) -> {
                        throw new IllegalStateException("payment service down");
                    }));
            messaging.publisher().publishAndWait("orders", event("order.placed", "o-1"));
            awaitStopped(PROCESS, 2);
        }

        TestObservationRegistryAssert.assertThat(registry)
                .hasNumberOfObservationsWithNameEqualTo(PROCESS, 2)
                .hasAnObservation(observation -> observation
                        .hasNameEqualTo(PROCESS)
                        .hasHighCardinalityKeyValue("switchboard.attempt", "1")
                        .hasLowCardinalityKeyValue("outcome", "retry_scheduled")
                        .hasLowCardinalityKeyValue("error.type", "IllegalStateException")
                        .hasError())
                .hasAnObservation(observation -> observation
                        .hasNameEqualTo(PROCESS)
                        .hasHighCardinalityKeyValue("switchboard.attempt", "2")
                        .hasLowCardinalityKeyValue("outcome", "dead_lettered")
                        .hasLowCardinalityKeyValue("error.type", "IllegalStateException")
                        .hasError());
        TestObservationRegistryAssert.assertThat(registry)
                .forAllObservationsWithNameEqualTo(PROCESS, observation -> observation.hasError());
        assertThat(stopped).filteredOn(EventReceiverContext.class::isInstance)
                .extracting(context -> ((EventReceiverContext) context).attempt()).containsExactlyInAnyOrder(1, 2);
        assertThat(events).containsKeys(SwitchboardObservations.RETRY_SCHEDULED, SwitchboardObservations.DEAD_LETTERED);
        assertThat(events.get(SwitchboardObservations.DEAD_LETTERED)).isEqualTo("dead-lettered: retries-exhausted");
    }

    @Test
    void aFailedPublishIsTheProducerObservationsErrorWithItsCode() {
        try (Messaging messaging = connect(broker, new SwitchboardObservations(registry))) {
            assertThatThrownBy(() -> messaging.publisher().publishAndWait("orders",
                    Connections.oversizeEvent("order.placed"))).isInstanceOf(MessagingException.class);
            await().atMost(WAIT).untilAsserted(() -> TestObservationRegistryAssert.assertThat(registry)
                    .hasObservationWithNameEqualTo(PUBLISH).that().hasBeenStopped());
        }

        TestObservationRegistryAssert.assertThat(registry).hasObservationWithNameEqualTo(PUBLISH).that()
                .hasError()
                .hasLowCardinalityKeyValue("error.type", "INVALID_ARGUMENT");
    }

    @Test
    void conventionsPassedToTheBuilderTakeTheDefaultsPlace() {
        SwitchboardObservations observations = SwitchboardObservations.builder(registry)
                .senderConvention(new DefaultEventSenderObservationConvention() {
                    @Override
                    public String getName() {
                        return "shop.publish";
                    }
                })
                .receiverConvention(new DefaultEventReceiverObservationConvention() {
                    @Override
                    public String getContextualName(EventReceiverContext context) {
                        return context.group() + " handles " + context.eventTypeTag();
                    }
                })
                .maxEventTypes(0)
                .build();
        recordStopped();
        try (Messaging messaging = connect(broker, observations)) {
            messaging.subscribe(Subscription.to("orders").group("billing")
                    .on("order.placed", String.class, (text, ctx) -> { }));
            messaging.publisher().publishAndWait("orders", event("order.placed", "o-1"));
            awaitStopped(PROCESS, 1);
        }

        TestObservationRegistryAssert.assertThat(registry)
                .hasObservationWithNameEqualTo("shop.publish").that()
                .hasLowCardinalityKeyValue("cloudevents.event_type", "_other")
                .backToTestObservationRegistry()
                .hasObservationWithNameEqualTo(PROCESS).that().hasContextualNameEqualTo("billing handles _other");
    }

    /** Records every observation that stops, to wait for them, and every event. */
    private void recordStopped() {
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onStop(Observation.Context context) {
                stopped.add(context);
            }

            @Override
            public void onEvent(Observation.Event event, Observation.Context context) {
                events.put(event.getName(), event.getContextualName());
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
    }

    private void awaitStopped(String name, int count) {
        await().atMost(WAIT).until(() -> stopped.stream().filter(c -> name.equals(c.getName())).count() >= count);
    }

    /** Writes a trace context through the sender context's setter, as micrometer-tracing's handler does. */
    private static final class Injecting implements ObservationHandler<SenderContext<Object>> {
        static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

        @Override
        public void onStart(SenderContext<Object> context) {
            context.getSetter().set(context.getCarrier(), "traceparent", TRACEPARENT);
            context.getSetter().set(context.getCarrier(), "X-B3-TraceId", "463ac35c9f6413ad");
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return context instanceof SenderContext;
        }
    }

    /** Reads the trace context through the receiver context's getter, as micrometer-tracing's handler does. */
    private static final class Extracting implements ObservationHandler<ReceiverContext<Object>> {
        private final Map<String, String> extracted;

        Extracting(Map<String, String> extracted) {
            this.extracted = extracted;
        }

        @Override
        public void onStart(ReceiverContext<Object> context) {
            for (String field : List.of("traceparent", "X-B3-TraceId")) {
                String value = context.getGetter().get(context.getCarrier(), field);
                if (value != null) {
                    extracted.put(field, value);
                }
            }
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return context instanceof ReceiverContext;
        }
    }
}
