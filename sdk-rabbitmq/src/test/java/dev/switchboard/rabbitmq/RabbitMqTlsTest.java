package dev.switchboard.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.switchboard.ConfigurationException;
import dev.switchboard.ErrorCode;
import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.MessagingException;
import dev.switchboard.PublishResult;
import dev.switchboard.Subscription;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS ({@code amqps}) against the broker's TLS listener, configured by properties alone: a round trip with
 * hostname verification, a truststore without the broker's CA, and truststore files that cannot be read.
 * The listener comes from {@code TEST_RABBITMQ_TLS_*} (printed by {@code scripts/start-rabbitmq.sh}).
 */
@Timeout(120)
class RabbitMqTlsTest {
    private static final String TLS_URI = "TEST_RABBITMQ_TLS_URI";
    private static final String TRUSTSTORE = "TEST_RABBITMQ_TLS_TRUSTSTORE";
    private static final String WRONG_TRUSTSTORE = "TEST_RABBITMQ_TLS_WRONG_TRUSTSTORE";
    private static final String TRUSTSTORE_PASSWORD = "changeit";

    @Test
    void anEventRoundTripsOverAmqpsWithHostnameVerification() {
        String topic = "tls-" + UUID.randomUUID();
        String group = "tls-reader";
        List<EventEnvelope> received = new CopyOnWriteArrayList<>();
        EventEnvelope sent = EventEnvelope.builder().id("tls-" + UUID.randomUUID()).type("tls.checked")
                .dataContentType("text/plain").data("over amqps").build();
        Map<String, String> properties = tlsProperties(RabbitMqTestBroker.tlsSetting(TRUSTSTORE));
        try (Messaging messaging = Messaging.fromConfig(properties)) {
            RabbitMqOptions options = messaging.unwrap(RabbitMqOptions.class).orElseThrow();
            messaging.subscribe(Subscription.to(topic).group(group).onEnvelope((event, ctx) -> received.add(event)));

            messaging.publisher().publishAndWait(topic, sent);

            await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
            assertThat(options.tls()).isTrue();
            assertThat(options.verifyHostname()).isTrue();
            assertThat(received).singleElement().satisfies(event -> {
                assertThat(event.id()).isEqualTo(sent.id());
                assertThat(event.type()).isEqualTo("tls.checked");
                assertThat(event.dataAsString()).isEqualTo("over amqps");
            });
        } finally {
            RabbitMqTestBroker.deleteQuietly(topic, topic + "." + group, topic + "." + group + ".dlq");
        }
    }

    @Test
    void aTruststoreWithoutTheBrokersCaFailsThePublishQuicklyAsUnavailableAndNotRetryable() {
        Map<String, String> properties = tlsProperties(RabbitMqTestBroker.tlsSetting(WRONG_TRUSTSTORE));
        properties.put("switchboard.connect-timeout", "5s");
        String topic = "tls-wrong-" + UUID.randomUUID();
        try (Messaging messaging = Messaging.fromConfig(properties)) {
            EventEnvelope event = EventEnvelope.builder().type("tls.checked").data("never sent").build();
            long start = System.nanoTime();

            MessagingException failure = catchThrowableOfType(() -> messaging.publisher().publishAndWait(topic, event),
                    MessagingException.class);

            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(failure).as("the publish fails").isNotNull();
            assertThat(failure.code()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(failure.isRetryable()).as("retrying cannot fix a truststore").isFalse();
            assertThat(failure.getMessage()).contains("TLS").contains("switchboard.rabbitmq.tls.trust-store");
            assertThat(took).isLessThan(Duration.ofSeconds(20));
        }
    }

    @Test
    void hostnameVerificationRefusesACertificateThatDoesNotNameTheHost() {
        String otherName = loopbackNameOutsideTheCertificate();
        Map<String, String> properties = tlsProperties(RabbitMqTestBroker.tlsSetting(TRUSTSTORE));
        properties.put("switchboard.rabbitmq.host", otherName);
        properties.put("switchboard.connect-timeout", "5s");
        try (Messaging messaging = Messaging.fromConfig(properties)) {
            EventEnvelope event = EventEnvelope.builder().type("tls.checked").data("never sent").build();

            MessagingException failure = catchThrowableOfType(
                    () -> messaging.publisher().publishAndWait("tls-host-" + UUID.randomUUID(), event), MessagingException.class);

            assertThat(failure).as("the publish to %s fails", otherName).isNotNull();
            assertThat(failure.code()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(failure.isRetryable()).isFalse();
            assertThat(failure.getMessage()).contains("TLS");
        }
    }

    @Test
    void withHostnameVerificationOffTheSameHostIsAccepted() {
        String otherName = loopbackNameOutsideTheCertificate();
        String topic = "tls-nohost-" + UUID.randomUUID();
        String group = "tls-reader";
        Map<String, String> properties = tlsProperties(RabbitMqTestBroker.tlsSetting(TRUSTSTORE));
        properties.put("switchboard.rabbitmq.host", otherName);
        properties.put("switchboard.rabbitmq.tls.verify-hostname", "false");
        try (Messaging messaging = Messaging.fromConfig(properties)) {
            messaging.provision(topic, group);

            EventEnvelope event = EventEnvelope.builder().type("tls.checked").data("trusted CA, other name").build();

            PublishResult result = messaging.publisher().publishAndWait(topic, event);

            assertThat(result.eventId()).isEqualTo(event.id());
        } finally {
            RabbitMqTestBroker.deleteQuietly(topic, topic + "." + group, topic + "." + group + ".dlq");
        }
    }

    @Test
    void aMissingTruststoreFileFailsAtStartupNamingTheKey(@TempDir Path directory) {
        String missing = directory.resolve("missing-truststore.p12").toString();
        Map<String, String> properties = new HashMap<>();
        properties.put("switchboard.broker", "rabbitmq");
        // no connection is made: the truststore is read at startup, before any broker is contacted
        properties.put("switchboard.rabbitmq.uri", "amqps://guest:guest@localhost:5671/");
        properties.put("switchboard.rabbitmq.tls.trust-store", missing);
        properties.put("switchboard.rabbitmq.tls.trust-store-password", TRUSTSTORE_PASSWORD);

        ConfigurationException failure = catchThrowableOfType(() -> Messaging.fromConfig(properties).close(),
                ConfigurationException.class);

        assertThat(failure).as("startup fails").isNotNull();
        assertThat(failure.key()).isEqualTo("switchboard.rabbitmq.tls.trust-store");
        assertThat(failure.getMessage()).contains("switchboard.rabbitmq.tls.trust-store").contains(missing);
    }

    @Test
    void aWrongTruststorePasswordFailsAtStartupWithoutShowingIt() {
        String wrongPassword = "not-" + TRUSTSTORE_PASSWORD + "-" + UUID.randomUUID();
        Map<String, String> properties = tlsProperties(RabbitMqTestBroker.tlsSetting(TRUSTSTORE));
        properties.put("switchboard.rabbitmq.tls.trust-store-password", wrongPassword);

        ConfigurationException failure = catchThrowableOfType(() -> Messaging.fromConfig(properties).close(),
                ConfigurationException.class);

        assertThat(failure).as("startup fails").isNotNull();
        assertThat(failure.key()).isEqualTo("switchboard.rabbitmq.tls.trust-store");
        assertThat(failure.getMessage()).contains("switchboard.rabbitmq.tls.trust-store").doesNotContain(wrongPassword);
    }

    /**
     * A name of this machine that reaches the broker's loopback listener but that its certificate (issued
     * for {@code localhost} and {@code 127.0.0.1}) does not name, such as the host name in /etc/hosts.
     */
    private static String loopbackNameOutsideTheCertificate() {
        String name;
        try {
            InetAddress local = InetAddress.getLocalHost();
            name = local.getHostName();
            if (!local.getHostAddress().equals("127.0.0.1") || name.equalsIgnoreCase("localhost")
                    || name.equals("127.0.0.1")) {
                name = null;
            }
        } catch (UnknownHostException e) {
            name = null;
        }
        Assumptions.assumeTrue(name != null, "this machine has no name other than localhost that resolves to 127.0.0.1,"
                + " where the TLS listener is");
        return name;
    }

    /** Only properties: the amqps URI and the truststore; hostname verification is on by default. */
    private static Map<String, String> tlsProperties(String truststore) {
        Map<String, String> properties = new HashMap<>();
        properties.put("switchboard.broker", "rabbitmq");
        properties.put("switchboard.rabbitmq.uri", RabbitMqTestBroker.tlsSetting(TLS_URI));
        properties.put("switchboard.rabbitmq.tls.trust-store", truststore);
        properties.put("switchboard.rabbitmq.tls.trust-store-password", TRUSTSTORE_PASSWORD);
        return properties;
    }
}
