package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ErrorCode;
import dev.switchboard.Messaging;
import dev.switchboard.MessagingException;
import dev.switchboard.Ordering;
import dev.switchboard.Subscription;
import dev.switchboard.spi.Capability;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** On a broker that cannot keep per-key order, asking for it fails at startup instead of reordering silently. */
class OrderingPreconditionTest {
    @Test
    void askingForPerKeyOrderWhereTheBrokerCannotKeepItFailsAtSubscribe() {
        try (Messaging messaging = Messaging.fromConfig(Map.of("switchboard.broker", "second"))) {
            String topic = "no-order-" + UUID.randomUUID();

            assertThat(messaging.capabilities()).doesNotContain(Capability.ORDERING_BY_KEY);
            assertThatThrownBy(() -> messaging.subscribe(Subscription.to(topic).group("g")
                    .ordering(Ordering.PER_KEY).onEnvelope((e, ctx) -> { })))
                    .isInstanceOf(MessagingException.class)
                    .hasMessageContaining("per-key ordering")
                    .satisfies(e -> assertThat(((MessagingException) e).code()).isEqualTo(ErrorCode.FAILED_PRECONDITION));
        }
    }

    @Test
    void withoutAnExplicitOrderingSuchABrokerRunsUnordered() {
        try (Messaging messaging = Messaging.fromConfig(Map.of("switchboard.broker", "second"))) {
            String topic = "no-order-" + UUID.randomUUID();

            assertThat(messaging.subscribe(Subscription.to(topic).group("g").onEnvelope((e, ctx) -> { })).isRunning())
                    .isTrue();
        }
    }
}
