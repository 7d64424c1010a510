package dev.switchboard.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.ErrorCode;
import dev.switchboard.EventType;
import dev.switchboard.Messaging;
import dev.switchboard.MessagingException;
import dev.switchboard.Ordering;
import dev.switchboard.Subscription;
import dev.switchboard.spi.Capability;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Standard (non-FIFO) topics refuse per-key ordering at subscribe time; FIFO ordering itself is proven by the
 * conformance suite's ordering group in {@link AwsFifoOrderingConformanceTest}.
 */
@Timeout(180)
class FifoOrderingTest {
    private final List<Messaging> opened = new ArrayList<>();

    @EventType("com.example.fifo.keyed")
    record Keyed(String key, int sequence) {
    }

    @AfterEach
    void closeConnections() {
        opened.forEach(m -> m.close(Duration.ofSeconds(5)));
    }

    @Test
    void perKeyOrderingOnStandardTopicsFailsAtSubscribe() {
        Messaging messaging = open(Map.of());
        String topic = "fifo-standard-" + UUID.randomUUID();
        Subscription ordered = Subscription.to(topic).group("ordered").ordering(Ordering.PER_KEY)
                .on(Keyed.class, (event, ctx) -> { }).build();

        MessagingException error = catchThrowableOfType(() -> messaging.subscribe(ordered), MessagingException.class);

        assertThat(messaging.capabilities()).doesNotContain(Capability.ORDERING_BY_KEY);
        assertThat(error).isNotNull();
        assertThat(error.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
        assertThat(error.getMessage()).contains(topic + "/ordered").contains("per-key ordering").contains("FIFO");
    }

    @Test
    void withoutExplicitOrderingAStandardTopicSubscribesUnordered() {
        Messaging messaging = open(Map.of());
        String topic = "fifo-default-" + UUID.randomUUID();
        Subscription unordered = Subscription.to(topic).group("any").on(Keyed.class, (event, ctx) -> { }).build();

        boolean running = messaging.subscribe(unordered).isRunning();

        assertThat(running).isTrue();
    }

    private Messaging open(Map<String, String> overrides) {
        Messaging messaging = Messaging.fromConfig(AwsTestBroker.properties(overrides));
        opened.add(messaging);
        return messaging;
    }
}
