package dev.switchboard.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.EventEnvelope;
import dev.switchboard.EventType;
import dev.switchboard.Messaging;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RecordedEventsTest {
    @EventType("test.order.placed")
    public record OrderPlaced(String orderId, long amountCents) {
    }

    private final InMemoryBroker broker = InMemoryBroker.create();

    @Test
    void awaitReturnsTheDecodedPayloadOnceItIsPublished() {
        try (Messaging messaging = broker.connect()) {
            CompletableFuture.runAsync(() -> messaging.publisher().publishAndWait("orders", new OrderPlaced("o-1", 100)),
                    CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));

            OrderPlaced order = broker.published().onTopic("orders").await(OrderPlaced.class, o -> o.orderId().equals("o-1"));

            assertThat(order).isEqualTo(new OrderPlaced("o-1", 100));
        }
    }

    @Test
    void aTimedOutAwaitListsWhatDidArrive() {
        try (Messaging messaging = broker.connect()) {
            messaging.publisher().publishAndWait("orders", EventEnvelope.builder().id("e-7").type("test.other")
                    .partitionKey("k-1").data("{}").build());

            assertThatThrownBy(() -> broker.published().onTopic("orders").within(Duration.ofMillis(100))
                    .await(OrderPlaced.class))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("OrderPlaced (type test.order.placed)")
                    .hasMessageContaining("on topic orders")
                    .hasMessageContaining("1 recorded")
                    .hasMessageContaining("type=test.other id=e-7 key=k-1");
        }
    }

    @Test
    void assertNoneWithinFailsOnAMatchAndPassesOtherwise() {
        try (Messaging messaging = broker.connect()) {
            messaging.publisher().publishAndWait("orders", new OrderPlaced("o-2", 5));

            broker.published().onTopic("payments").assertNoneWithin(Duration.ofMillis(50), e -> true);
            assertThatThrownBy(() -> broker.published().assertNoneWithin(Duration.ofMillis(50),
                    e -> e.type().equals("test.order.placed")))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("expected no such event");
        }
    }

    @Test
    void viewsFilterByTopicGroupAndType() {
        try (Messaging messaging = broker.connect()) {
            messaging.publisher().publishAndWait("orders", new OrderPlaced("o-3", 5));
            messaging.publisher().publishAndWait("refunds", EventEnvelope.builder().type("test.refund").build());

            assertThat(broker.published().count()).isEqualTo(2);
            assertThat(broker.published().onTopic("orders").count()).isEqualTo(1);
            assertThat(broker.published().ofType("test.refund").envelopes()).singleElement()
                    .satisfies(e -> assertThat(e.type()).isEqualTo("test.refund"));
            assertThat(broker.consumed().inGroup("nobody").count()).isZero();
        }
    }
}
