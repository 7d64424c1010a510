package dev.switchboard.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.switchboard.ErrorCode;
import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.MessagingException;
import dev.switchboard.Subscription;
import dev.switchboard.testkit.BrokerFixture;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Switchboard on a SASL_PLAINTEXT listener with SCRAM-SHA-256, configured through properties only.
 *
 * <p>The listener is found like {@link BrokerFixture} finds brokers: {@code TEST_KAFKA_SASL_BOOTSTRAP_SERVERS},
 * {@code TEST_KAFKA_SASL_USERNAME} and {@code TEST_KAFKA_SASL_PASSWORD} (or {@code -Dtest.kafka.sasl.bootstrap-servers},
 * {@code -Dtest.kafka.sasl.username}, {@code -Dtest.kafka.sasl.password}); without them the tests are skipped, or
 * fail when {@code TEST_REQUIRE_BROKERS=true}. {@code scripts/start-kafka.sh} starts such a listener.
 */
class KafkaSaslTest {
    private static final Duration DELIVERY = Duration.ofSeconds(30);

    private String bootstrapServers;
    private String username;
    private String password;

    @BeforeEach
    void findSaslListener() {
        bootstrapServers = required("TEST_KAFKA_SASL_BOOTSTRAP_SERVERS", "test.kafka.sasl.bootstrap-servers");
        username = required("TEST_KAFKA_SASL_USERNAME", "test.kafka.sasl.username");
        password = required("TEST_KAFKA_SASL_PASSWORD", "test.kafka.sasl.password");
    }

    @Test
    void usernameAndPasswordPropertiesRoundTripAnEvent() {
        Map<String, String> properties = saslProperties();
        properties.put("switchboard.kafka.sasl.username", username);
        properties.put("switchboard.kafka.sasl.password", password);

        try (Messaging messaging = Messaging.fromConfig(properties)) {
            assertRoundTrip(messaging);
            assertNoSecretIn(messaging, password);
        }
    }

    @Test
    void aRawJaasConfigRoundTripsAnEvent() {
        Map<String, String> properties = saslProperties();
        properties.put("switchboard.kafka.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule"
                + " required username=\"" + username + "\" password=\"" + password + "\";");

        try (Messaging messaging = Messaging.fromConfig(properties)) {
            assertRoundTrip(messaging);
            assertNoSecretIn(messaging, password);
        }
    }

    @Test
    @Timeout(60)
    void aWrongPasswordFailsThePublishPromptlyWithoutRevealingIt() {
        String wrongPassword = "wrong-" + UUID.randomUUID();
        Map<String, String> properties = saslProperties();
        properties.put("switchboard.kafka.sasl.username", username);
        properties.put("switchboard.kafka.sasl.password", wrongPassword);
        properties.put("switchboard.connect-timeout", "5s");
        EventEnvelope event = envelope();

        try (Messaging messaging = Messaging.fromConfig(properties)) {
            long start = System.nanoTime();
            Throwable failure = catchThrowable(() -> messaging.publisher().publishAndWait("sasl-denied-" + UUID.randomUUID(), event));
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

            assertThat(failure).isInstanceOfSatisfying(MessagingException.class, e ->
                    assertThat(e.code()).isIn(ErrorCode.PERMISSION_DENIED, ErrorCode.UNAVAILABLE));
            assertThat(elapsed).isLessThan(Duration.ofSeconds(20));
            assertThat(failure.toString()).doesNotContain(wrongPassword).doesNotContain(password);
            assertNoSecretIn(messaging, wrongPassword);
            assertNoSecretIn(messaging, password);
        }
    }

    private void assertRoundTrip(Messaging messaging) {
        String topic = "sasl-" + UUID.randomUUID();
        List<EventEnvelope> received = new CopyOnWriteArrayList<>();
        messaging.subscribe(Subscription.to(topic).group("sasl-" + UUID.randomUUID())
                .onEnvelope((envelope, context) -> received.add(envelope)));
        EventEnvelope sent = envelope();

        messaging.publisher().publishAndWait(topic, sent);

        await().atMost(DELIVERY).untilAsserted(() -> assertThat(received).hasSize(1));
        assertThat(received.get(0).id()).isEqualTo(sent.id());
        assertThat(received.get(0).dataAsString()).isEqualTo("hello over SASL");
    }

    private static void assertNoSecretIn(Messaging messaging, String secret) {
        assertThat(messaging.toString()).doesNotContain(secret);
        assertThat(messaging.config().toString()).doesNotContain(secret);
        assertThat(messaging.unwrap(KafkaOptions.class)).hasValueSatisfying(options ->
                assertThat(options.toString()).doesNotContain(secret));
    }

    private static EventEnvelope envelope() {
        return EventEnvelope.builder().type("com.switchboard.test.sasl").data("hello over SASL").build();
    }

    private Map<String, String> saslProperties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("switchboard.broker", "kafka");
        properties.put("switchboard.service-name", "sasl-test");
        properties.put("switchboard.kafka.bootstrap-servers", bootstrapServers);
        properties.put("switchboard.kafka.security.protocol", "SASL_PLAINTEXT");
        properties.put("switchboard.kafka.sasl.mechanism", "SCRAM-SHA-256");
        return properties;
    }

    private static String required(String environmentVariable, String systemProperty) {
        String value = System.getProperty(systemProperty);
        if (value == null || value.isBlank()) {
            value = System.getenv(environmentVariable);
        }
        if (value != null && !value.isBlank()) {
            return value.trim();
        }
        String howTo = "no SASL Kafka listener for this test: set " + environmentVariable + " or -D" + systemProperty
                + "; the SASL tests need TEST_KAFKA_SASL_BOOTSTRAP_SERVERS, TEST_KAFKA_SASL_USERNAME and"
                + " TEST_KAFKA_SASL_PASSWORD (scripts/start-kafka.sh starts a SCRAM-SHA-256 listener on 127.0.0.1:9094)";
        if (Boolean.parseBoolean(System.getenv(BrokerFixture.REQUIRE_BROKERS))) {
            throw new AssertionError(howTo + " [" + BrokerFixture.REQUIRE_BROKERS + "=true]");
        }
        Assumptions.abort(howTo);
        throw new IllegalStateException("unreachable");
    }
}
