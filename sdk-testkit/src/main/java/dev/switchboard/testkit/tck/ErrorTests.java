package dev.switchboard.testkit.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.ErrorCode;
import dev.switchboard.Messaging;
import dev.switchboard.MessagingException;
import dev.switchboard.Subscription;
import dev.switchboard.SwitchboardProperties;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Errors: failures are typed, arrive within their timeout, and misuse is reported as such.
 *
 * @since 0.1
 */
public abstract class ErrorTests extends TckSupport {
    private static final Map<String, String> VALIDATE = Map.of(SwitchboardProperties.PROVISIONING, "validate");

    @Test
    void publishingToAMissingTopicUnderValidateFailsWithNotFound() {
        Messaging messaging = open(VALIDATE);

        MessagingException failure = failureOf(messaging.publisher().publish(topic("missing"), TckEvents.note(id("lost"))));

        assertEquals(ErrorCode.NOT_FOUND, failure.code(), () -> "failure " + failure);
    }

    @Test
    void subscribingToAMissingTopicUnderValidateFailsWithNotFound() {
        Messaging messaging = open(VALIDATE);
        Subscription subscription = Subscription.to(topic("missing")).group(group("missing"))
                .onEnvelope((e, ctx) -> { }).build();

        MessagingException failure = assertThrows(MessagingException.class, () -> messaging.subscribe(subscription));

        assertEquals(ErrorCode.NOT_FOUND, failure.code(), () -> "failure " + failure);
    }

    @Test
    void unreachableBrokerFailsPublishWithRetryableUnavailableWithinTheConnectTimeout() {
        Duration connectTimeout = Duration.ofSeconds(2);
        long start = System.nanoTime();
        Messaging messaging = open(harness().unreachable(connectTimeout));

        MessagingException failure = failureOf(messaging.publisher().publish(topic("unreachable"),
                TckEvents.note(id("nowhere"))), connectTimeout.plusSeconds(10));

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(ErrorCode.UNAVAILABLE, failure.code(), () -> "failure " + failure);
        assertTrue(failure.isRetryable(), "UNAVAILABLE is retryable");
        assertTrue(took.compareTo(connectTimeout.plusSeconds(5)) <= 0, () -> "took " + took);
    }

    @Test
    void subscriptionWithoutGroupIsIllegalArgument() {
        Subscription.Builder builder = Subscription.to(topic("no-group")).onEnvelope((e, ctx) -> { });

        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class, builder::build);

        assertTrue(failure.getMessage().contains("group"), () -> "message " + failure.getMessage());
    }

    @Test
    void subscriptionWithoutHandlerIsIllegalArgument() {
        Subscription.Builder builder = Subscription.to(topic("no-handler")).group(group("no-handler"));

        assertThrows(IllegalArgumentException.class, builder::build);
    }

    @Test
    void publishingToABlankTopicIsIllegalArgument() {
        Messaging messaging = open();

        assertThrows(IllegalArgumentException.class, () -> messaging.publisher().publish(" ", TckEvents.note(id("blank"))));
    }
}
