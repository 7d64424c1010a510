package dev.switchboard.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.RetryPolicy;
import dev.switchboard.Subscription;
import dev.switchboard.instrumentation.Outcome;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a unit test can assert about outcomes on the in-memory broker, through the recorded instrumentation. */
class RecordingInstrumentationTest {
    private final InMemoryBroker broker = InMemoryBroker.create();

    @AfterEach
    void close() {
        broker.close();
    }

    @Test
    void aHandledEventIsRecordedAsPublishedThenAcked() {
        try (Messaging messaging = broker.connect()) {
            messaging.subscribe(Subscription.to("orders").group("billing").onEnvelope((event, context) -> { }));

            String id = messaging.publisher().publishAndWait("orders", event("e-1")).eventId();

            RecordingInstrumentation.Settlement settled = broker.outcomes().awaitSettlement(s -> s.eventId().equals(id));
            assertThat(settled.outcome().kind()).isEqualTo(Outcome.Kind.ACKED);
            assertThat(settled.handled()).isTrue();
            assertThat(settled.system()).isEqualTo("in-memory");
            assertThat(settled.group()).isEqualTo("billing");
            assertThat(broker.outcomes().publishes()).singleElement()
                    .satisfies(p -> assertThat(p.failure()).isEmpty())
                    .satisfies(p -> assertThat(p.eventId()).isEqualTo("e-1"));
        }
    }

    @Test
    void aRetriedThenDeadLetteredEventIsRecordedOnceForEachHandlerCall() {
        try (Messaging messaging = broker.connect()) {
            messaging.subscribe(Subscription.to("orders").group("billing")
                    .retry(RetryPolicy.fixed(2, Duration.ofMillis(10)))
                    .onEnvelope((event, context) -> {
                        throw new IllegalStateException("always");
                    }));

            messaging.publisher().publishAndWait("orders", event("e-2"));

            RecordingInstrumentation.Settlement last = broker.outcomes()
                    .awaitSettlement(s -> s.outcome().kind() == Outcome.Kind.DEAD_LETTERED);
            assertThat(last.outcome().reason()).contains("retries-exhausted");
            assertThat(last.attempt()).isEqualTo(2);
            assertThat(last.handlerFailure()).containsInstanceOf(IllegalStateException.class);
            assertThat(broker.outcomes().count(Outcome.Kind.RETRY_SCHEDULED)).isEqualTo(1);
        }
    }

    @Test
    void anAwaitThatTimesOutListsWhatWasRecorded() {
        try (Messaging messaging = broker.connect()) {
            messaging.subscribe(Subscription.to("orders").group("billing").onEnvelope((event, context) -> { }));
            messaging.publisher().publishAndWait("orders", event("e-3"));
            broker.outcomes().awaitSettlement(s -> s.eventId().equals("e-3"));

            assertThatThrownBy(() -> broker.outcomes().awaitSettlement(
                    s -> s.outcome().kind() == Outcome.Kind.DEAD_LETTERED, Duration.ofMillis(50)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("1 recorded")
                    .hasMessageContaining("eventId=e-3");
        }
    }

    private static EventEnvelope event(String id) {
        return EventEnvelope.builder().id(id).type("test.order.placed").data("{}").build();
    }
}
