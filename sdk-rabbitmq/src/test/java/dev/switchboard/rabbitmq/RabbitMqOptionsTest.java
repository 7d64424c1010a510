package dev.switchboard.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.ConfigurationException;
import dev.switchboard.SwitchboardConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading {@code switchboard.rabbitmq.*}: the URI, the separate keys that win over it, errors and secrets. */
class RabbitMqOptionsTest {
    private static final String SECRET = "s3cr3t-Pa55";

    @Test
    void readsUserPasswordHostPortAndVirtualHostFromTheUri() {
        SwitchboardConfig config = config(Map.of(RabbitMqOptions.URI_KEY,
                "amqp://billing:p%40ss%2Fw%3Ard@broker.internal:5673/%2Fprod"));

        RabbitMqOptions options = RabbitMqOptions.from(config);

        assertThat(options.username()).isEqualTo("billing");
        assertThat(options.password()).isEqualTo("p@ss/w:rd");
        assertThat(options.host()).isEqualTo("broker.internal");
        assertThat(options.port()).isEqualTo(5673);
        assertThat(options.virtualHost()).isEqualTo("/prod");
        assertThat(options.tls()).isFalse();
    }

    @Test
    void keepsAPlusSignInTheUriPasswordLiteral() {
        // RFC 3986 user info has no "+ means space" rule (that is HTML forms); amqp-client agrees
        SwitchboardConfig config = config(Map.of(RabbitMqOptions.URI_KEY, "amqp://billing:a+b%2Bc@broker.internal/"));

        RabbitMqOptions options = RabbitMqOptions.from(config);

        assertThat(options.password()).isEqualTo("a+b+c");
    }

    @ParameterizedTest
    @ValueSource(strings = {"amqp://broker.internal", "amqp://broker.internal/", "amqp://guest:guest@broker.internal:5672/"})
    void defaultsToTheVirtualHostSlash(String uri) {
        SwitchboardConfig config = config(Map.of(RabbitMqOptions.URI_KEY, uri));

        RabbitMqOptions options = RabbitMqOptions.from(config);

        assertThat(options.virtualHost()).isEqualTo("/");
        assertThat(options.port()).isEqualTo(5672);
    }

    @Test
    void readsAPlainVirtualHostName() {
        SwitchboardConfig config = config(Map.of(RabbitMqOptions.URI_KEY, "amqp://broker.internal/staging"));

        RabbitMqOptions options = RabbitMqOptions.from(config);

        assertThat(options.virtualHost()).isEqualTo("staging");
    }

    @Test
    void amqpsTurnsOnTlsOnTheTlsPort() {
        SwitchboardConfig config = config(Map.of(RabbitMqOptions.URI_KEY, "amqps://billing:pw@broker.internal/"));

        RabbitMqOptions options = RabbitMqOptions.from(config);

        assertThat(options.tls()).isTrue();
        assertThat(options.port()).isEqualTo(5671);
        assertThat(options.verifyHostname()).isTrue();
        assertThat(options.describe()).startsWith("amqps://billing@broker.internal:5671");
    }

    @Test
    void withoutAUriConnectsAsGuestToLocalhost() {
        SwitchboardConfig config = config(Map.of());

        RabbitMqOptions options = RabbitMqOptions.from(config);

        assertThat(options.host()).isEqualTo("localhost");
        assertThat(options.port()).isEqualTo(5672);
        assertThat(options.virtualHost()).isEqualTo("/");
        assertThat(options.username()).isEqualTo("guest");
        assertThat(options.password()).isEqualTo("guest");
        assertThat(options.tls()).isFalse();
        assertThat(options.trustStore()).isEmpty();
        assertThat(options.queueType()).isEqualTo("quorum");
        assertThat(options.singleActiveConsumer()).isTrue();
    }

    @Test
    void separateKeysWinOverTheUri() {
        Map<String, String> values = new HashMap<>();
        values.put(RabbitMqOptions.URI_KEY, "amqp://from-uri:uri-pw@uri-host:1111/uri-vhost");
        values.put(RabbitMqOptions.HOST, "key-host");
        values.put(RabbitMqOptions.PORT, "2222");
        values.put(RabbitMqOptions.VIRTUAL_HOST, "key-vhost");
        values.put(RabbitMqOptions.USERNAME, "from-key");
        values.put(RabbitMqOptions.PASSWORD, "key-pw");
        values.put(RabbitMqOptions.TLS, "true");

        RabbitMqOptions options = RabbitMqOptions.from(config(values));

        assertThat(options.host()).isEqualTo("key-host");
        assertThat(options.port()).isEqualTo(2222);
        assertThat(options.virtualHost()).isEqualTo("key-vhost");
        assertThat(options.username()).isEqualTo("from-key");
        assertThat(options.password()).isEqualTo("key-pw");
        assertThat(options.tls()).isTrue();
    }

    @Test
    void tlsEnabledByKeyMovesTheDefaultPort() {
        SwitchboardConfig config = config(Map.of(RabbitMqOptions.URI_KEY, "amqp://broker.internal/",
                RabbitMqOptions.TLS, "true"));

        RabbitMqOptions options = RabbitMqOptions.from(config);

        assertThat(options.tls()).isTrue();
        assertThat(options.port()).isEqualTo(5671);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://guest:" + SECRET + "@broker.internal/",
            "amqp://guest:" + SECRET + "@broker.internal:notaport/",
            "amqp://guest:" + SECRET + "@/vhost",
            "amqp://guest:" + SECRET + " x@broker.internal/",
            "amqp://guest:" + SECRET + "%zz@broker.internal/"})
    void aBadUriFailsNamingTheKeyWithoutShowingThePassword(String uri) {
        SwitchboardConfig config = config(Map.of(RabbitMqOptions.URI_KEY, uri));

        ConfigurationException failure = catchThrowableOfType(() -> RabbitMqOptions.from(config),
                ConfigurationException.class);

        assertThat(failure).as("a ConfigurationException for %s", SwitchboardConfig.maskUriPassword(uri)).isNotNull();
        assertThat(failure.key()).isEqualTo(RabbitMqOptions.URI_KEY);
        assertThat(failure.getMessage()).contains(RabbitMqOptions.URI_KEY).doesNotContain(SECRET);
        assertThat(failure.toString()).doesNotContain(SECRET);
    }

    @Test
    void aBadQueueTypeFailsNamingTheKey() {
        SwitchboardConfig config = config(Map.of(RabbitMqOptions.QUEUE_TYPE, "stream"));

        ConfigurationException failure = catchThrowableOfType(() -> RabbitMqOptions.from(config),
                ConfigurationException.class);

        assertThat(failure).isNotNull();
        assertThat(failure.key()).isEqualTo(RabbitMqOptions.QUEUE_TYPE);
        assertThat(failure.getMessage()).contains(RabbitMqOptions.QUEUE_TYPE).contains("stream").contains("quorum or classic");
    }

    @Test
    void acceptsTheQueueTypeInAnyCase() {
        SwitchboardConfig config = config(Map.of(RabbitMqOptions.QUEUE_TYPE, "Classic"));

        RabbitMqOptions options = RabbitMqOptions.from(config);

        assertThat(options.queueType()).isEqualTo("classic");
    }

    @Test
    void toStringAndDescribeNeverShowThePasswords() {
        SwitchboardConfig fromUri = config(Map.of(RabbitMqOptions.URI_KEY, "amqps://billing:" + SECRET + "@broker.internal/",
                RabbitMqOptions.TRUST_STORE, "/etc/switchboard/truststore.p12",
                RabbitMqOptions.TRUST_STORE_PASSWORD, "trust-" + SECRET));
        SwitchboardConfig fromKey = config(Map.of(RabbitMqOptions.PASSWORD, SECRET));

        RabbitMqOptions uriOptions = RabbitMqOptions.from(fromUri);
        RabbitMqOptions keyOptions = RabbitMqOptions.from(fromKey);

        assertThat(uriOptions.password()).isEqualTo(SECRET);
        assertThat(uriOptions.trustStorePassword()).isEqualTo(Optional.of("trust-" + SECRET));
        assertThat(uriOptions.toString()).doesNotContain(SECRET).contains("billing@broker.internal:5671")
                .contains("/etc/switchboard/truststore.p12");
        assertThat(uriOptions.describe()).doesNotContain(SECRET);
        assertThat(keyOptions.password()).isEqualTo(SECRET);
        assertThat(keyOptions.toString()).doesNotContain(SECRET);
        assertThat(keyOptions.describe()).doesNotContain(SECRET);
    }

    private static SwitchboardConfig config(Map<String, String> values) {
        return SwitchboardConfig.of(values);
    }
}
