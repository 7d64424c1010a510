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
    @Rule(id = "ER-01", check = "TopologyDriver.topicExists says false for a missing topic and creates nothing")
    void publishingToAMissingTopicUnderValidateFailsWithNotFound() {
        Messaging messaging = open(VALIDATE);

        MessagingException failure = failureOf(messaging.publisher().publish(topic("missing"), TckEvents.note(id("lost"))));

        assertEquals(ErrorCode.NOT_FOUND, failure.code(), () -> "failure " + failure);
    }

    @Test
    @Rule(id = "ER-02", check = "TopologyDriver.topicExists and receiverExists say false for what is missing and"
            + " create nothing")
    void subscribingToAMissingTopicUnderValidateFailsWithNotFound() {
        Messaging messaging = open(VALIDATE);
        Subscription subscription = Subscription.to(topic("missing")).group(group("missing"))
                .onEnvelope((e, ctx) -> { }).build();

        MessagingException failure = assertThrows(MessagingException.class, () -> messaging.subscribe(subscription));

        assertEquals(ErrorCode.NOT_FOUND, failure.code(), () -> "failure " + failure);
    }

    @Test
    @Rule(id = "ER-03", check = "the client's connect and request timeouts follow switchboard.connect-timeout, and"
            + " BrokerDriver.classify maps connection failures to UNAVAILABLE")
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
    @Rule(id = "ER-04", check = "Subscription.Builder.build() in the core, which must name the missing group; no driver"
            + " is involved")
    void subscriptionWithoutGroupIsIllegalArgument() {
        Subscription.Builder builder = Subscription.to(topic("no-group")).onEnvelope((e, ctx) -> { });

        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class, builder::build);

        assertTrue(failure.getMessage().contains("group"), () -> "message " + failure.getMessage());
    }

    @Test
    @Rule(id = "ER-05", check = "Subscription.Builder.build() in the core, which must refuse a subscription without"
            + " handler; no driver is involved")
    void subscriptionWithoutHandlerIsIllegalArgument() {
        Subscription.Builder builder = Subscription.to(topic("no-handler")).group(group("no-handler"));

        assertThrows(IllegalArgumentException.class, builder::build);
    }

    @Test
    @Rule(id = "ER-06", check = "the publisher's argument checks, which run before any driver call")
    void publishingToABlankTopicIsIllegalArgument() {
        Messaging messaging = open();

        assertThrows(IllegalArgumentException.class, () -> messaging.publisher().publish(" ", TckEvents.note(id("blank"))));
    }

    @Test
    @Rule(id = "ER-07", check = "publish() returns its stage without waiting for the broker: provisioning and the"
            + " client's metadata wait happen off the caller's thread (Kafka's send blocks up to max.block.ms for a"
            + " topic it has no metadata for)")
    void publishReturnsAtOnceWhileTheBrokerIsUnreachable() {
        Duration connectTimeout = Duration.ofSeconds(6);
        Messaging messaging = open(harness().unreachable(connectTimeout));

        long start = System.nanoTime();
        var first = messaging.publisher().publish(topic("unreachable-first"), TckEvents.note(id("first")));
        var second = messaging.publisher().publish(topic("unreachable-first"), TckEvents.note(id("second")));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // a sixth of the connect timeout: a call that waited for the broker would take all of it
        assertTrue(took.compareTo(connectTimeout.dividedBy(6)) < 0, () -> "publish() held its caller for " + took);
        assertEquals(ErrorCode.UNAVAILABLE, failureOf(first, connectTimeout.plusSeconds(10)).code());
        assertEquals(ErrorCode.UNAVAILABLE, failureOf(second, connectTimeout.plusSeconds(10)).code());
    }
}
