package dev.switchboard.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.Subscriber;
import dev.switchboard.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code onlyHandledTypes()} on SNS: the subscription gets a filter policy on {@code ce_type}, so events of
 * other types never reach its queue, while a group without it still receives (and skips) them.
 */
@Timeout(120)
class SnsFilterTest {
    private static final String TYPE_A = "com.example.filter.a";
    private static final String TYPE_B = "com.example.filter.b";
    private static final String TYPE_C = "com.example.filter.c";
    private static final Duration DELIVERY = Duration.ofSeconds(30);

    private Messaging messaging;

    @AfterEach
    void closeConnection() {
        if (messaging != null) {
            messaging.close(Duration.ofSeconds(5));
        }
    }

    @Test
    void onlyHandledTypesReachTheQueueWhileAnUnfilteredGroupSeesEveryType() {
        messaging = Messaging.fromConfig(AwsTestBroker.properties(Map.of()));
        String topic = "filter-" + UUID.randomUUID();
        List<String> filteredHandled = new CopyOnWriteArrayList<>();
        List<String> controlHandled = new CopyOnWriteArrayList<>();
        Subscriber filtered = messaging.subscribe(handlersOfAAndB(topic, "filtered", filteredHandled).onlyHandledTypes());
        Subscriber control = messaging.subscribe(handlersOfAAndB(topic, "control", controlHandled));
        List<EventEnvelope> events = List.of(event(TYPE_A, "a"), event(TYPE_B, "b"), event(TYPE_C, "c"),
                event(TYPE_A, "marker"));

        events.forEach(e -> messaging.publisher().publishAndWait(topic, e));

        await("the control group handles A, B and the marker and skips C").atMost(DELIVERY)
                .until(() -> control.stats().skippedUnknownType() == 1 && controlHandled.size() == 3);
        assertThat(controlHandled).containsExactlyInAnyOrder("a", "b", "marker");
        await("the filtered group handles A, B and the marker").atMost(DELIVERY).until(() -> filteredHandled.size() == 3);
        await("the filtered group receives nothing else (no C reached its queue)")
                .during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> filtered.stats().received() == 3 && filtered.stats().skippedUnknownType() == 0);
        assertThat(filteredHandled).containsExactlyInAnyOrder("a", "b", "marker");
        assertThat(filtered.stats().skippedUnknownType()).isZero();
        assertThat(filtered.stats().received()).isEqualTo(3);
        assertThat(control.stats().received()).isEqualTo(4);
    }

    @Test
    void onlyHandledTypesCannotBeCombinedWithAnEnvelopeHandler() {
        Subscription.Builder builder = Subscription.to("filter-" + UUID.randomUUID()).group("g")
                .on(TYPE_A, EventEnvelope.class, (e, ctx) -> { })
                .onEnvelope((e, ctx) -> { })
                .onlyHandledTypes();

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("onlyHandledTypes()")
                .hasMessageContaining("onEnvelope");
    }

    private static Subscription.Builder handlersOfAAndB(String topic, String group, List<String> handled) {
        return Subscription.to(topic).group(group)
                .on(TYPE_A, EventEnvelope.class, (e, ctx) -> handled.add(e.dataAsString()))
                .on(TYPE_B, EventEnvelope.class, (e, ctx) -> handled.add(e.dataAsString()));
    }

    private static EventEnvelope event(String type, String data) {
        return EventEnvelope.builder().type(type).data(data).build();
    }
}
