package dev.switchboard.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.ErrorCode;
import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.MessagingException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Wrong credentials on a real broker: a prompt PERMISSION_DENIED that never shows the password. */
@Timeout(60)
class RabbitMqAuthTest {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    @Test
    void aWrongPasswordInTheUriFailsThePublishWithPermissionDeniedWithinTheConnectTimeout() {
        String password = "Wr0ng%2Fpa55-" + UUID.randomUUID();
        String decoded = URLDecoder.decode(password, StandardCharsets.UTF_8);
        URI base = URI.create(RabbitMqTestBroker.uri());
        String uri = base.getScheme() + "://guest:" + password + "@" + base.getRawAuthority().replaceFirst("^.*@", "")
                + (base.getRawPath() == null ? "/" : base.getRawPath());
        try (Messaging messaging = Messaging.fromConfig(RabbitMqTestBroker.properties(Map.of(
                "switchboard.rabbitmq.uri", uri, "switchboard.connect-timeout", CONNECT_TIMEOUT.toMillis() + "ms")))) {
            long start = System.nanoTime();

            MessagingException failure = publish(messaging);

            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertRefusedWithoutSecret(failure, took, messaging, password, decoded);
        }
    }

    @Test
    void aWrongPasswordKeyFailsThePublishWithPermissionDeniedWithinTheConnectTimeout() {
        String password = "wr0ng-pa55-" + UUID.randomUUID();
        try (Messaging messaging = Messaging.fromConfig(RabbitMqTestBroker.properties(Map.of(
                "switchboard.rabbitmq.username", "guest", "switchboard.rabbitmq.password", password,
                "switchboard.connect-timeout", CONNECT_TIMEOUT.toMillis() + "ms")))) {
            long start = System.nanoTime();

            MessagingException failure = publish(messaging);

            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertRefusedWithoutSecret(failure, took, messaging, password, password);
        }
    }

    private static MessagingException publish(Messaging messaging) {
        EventEnvelope event = EventEnvelope.builder().type("auth.checked").data("never sent").build();
        return catchThrowableOfType(() -> messaging.publisher().publishAndWait("auth-" + UUID.randomUUID(), event),
                MessagingException.class);
    }

    private static void assertRefusedWithoutSecret(MessagingException failure, Duration took, Messaging messaging,
                                                   String... secrets) {
        assertThat(failure).as("the publish fails").isNotNull();
        assertThat(failure.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(failure.isRetryable()).isFalse();
        assertThat(took).isLessThan(CONNECT_TIMEOUT);
        for (String secret : secrets) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).as("message of %s", t.getClass().getName()).doesNotContain(secret);
            }
            assertThat(failure.toString()).doesNotContain(secret);
            assertThat(messaging.toString()).doesNotContain(secret);
        }
    }
}
