package dev.switchboard.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ErrorCode;
import dev.switchboard.Messaging;
import dev.switchboard.MessagingException;
import dev.switchboard.PublishResult;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code publish()} never holds its caller while no broker answers, even where nothing provisions the topic first:
 * Kafka's {@code send} for a topic the producer has no metadata for waits up to {@code max.block.ms}, and the
 * driver keeps that wait off the caller's thread. (With provisioning, the TCK's ER-07 covers it.)
 */
class KafkaUnreachableBrokerTest {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(6);
    /** The core retries a send that failed UNAVAILABLE until the publish deadline. */
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(9);

    @Test
    void publishWithoutProvisioningReturnsAtOnceAndFailsByItsDeadline() throws Exception {
        try (Messaging messaging = Messaging.fromConfig(Map.of("switchboard.broker", "kafka",
                "switchboard.kafka.bootstrap-servers", "127.0.0.1:1", // nothing listens there
                "switchboard.provisioning", "none",
                "switchboard.connect-timeout", CONNECT_TIMEOUT.toMillis() + "ms",
                "switchboard.publish.timeout", PUBLISH_TIMEOUT.toMillis() + "ms"))) {
            long start = System.nanoTime();
            CompletionStage<PublishResult> first = messaging.publisher().publish("orders", Map.of("n", 1));
            CompletionStage<PublishResult> second = messaging.publisher().publish("orders", Map.of("n", 2));
            Duration held = Duration.ofNanos(System.nanoTime() - start);

            assertThat(held).as("time publish() held its caller").isLessThan(CONNECT_TIMEOUT.dividedBy(6));
            assertThat(failure(first).code()).isIn(ErrorCode.DEADLINE_EXCEEDED, ErrorCode.UNAVAILABLE);
            assertThat(failure(second).code()).isIn(ErrorCode.DEADLINE_EXCEEDED, ErrorCode.UNAVAILABLE);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PUBLISH_TIMEOUT.plus(CONNECT_TIMEOUT));
        }
    }

    private static MessagingException failure(CompletionStage<PublishResult> stage) throws InterruptedException {
        CompletableFuture<PublishResult> future = stage.toCompletableFuture();
        try {
            future.get(PUBLISH_TIMEOUT.multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(MessagingException.class);
            return (MessagingException) e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the publish neither completed nor failed", e);
        }
        throw new AssertionError("the publish succeeded with no broker");
    }
}
