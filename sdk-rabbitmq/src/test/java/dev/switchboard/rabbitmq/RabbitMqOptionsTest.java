package dev.switchboard.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.ConfigurationException;
import dev.switchboard.SwitchboardConfig;
import dev.switchboard.rabbitmq.RabbitMqOptions.Address;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reading {@code switchboard.rabbitmq.*}: the URI, the separate keys that win over it, the address list of a
 * cluster, errors and secrets.
 */
class RabbitMqOptionsTest {
    private static final String SECRET = "s3cr3t-Pa55";

    @Test
    void readsUserPasswordHostPortAndVirtualHostFromTheUri() {
        SwitchboardConfig config = config(Map.of(RabbitMqOptions.URI_KEY,
                "amqp://billing:p%40ss%2Fw%3Ard@broker.internal:5673/%2Fprod"));

        RabbitMqOptions options = RabbitMqOptions.from(config);

        assertThat(options.username()).isEqualTo("billing");
        assertThat(options.password()).isEqualTo("p@ss/w:rd");
        assertThat(options.addresses()).containsExactly(new Address("broker.internal", 5673));
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
        assertThat(options.addresses()).containsExactly(new Address("broker.internal", 5672));
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
        assertThat(options.addresses()).containsExactly(new Address("broker.internal", 5671));
        assertThat(options.verifyHostname()).isTrue();
        assertThat(options.describe()).startsWith("amqps://billing@broker.internal:5671");
    }

    @Test
    void withoutAUriConnectsAsGuestToLocalhost() {
        SwitchboardConfig config = config(Map.of());

        RabbitMqOptions options = RabbitMqOptions.from(config);

        assertThat(options.addresses()).containsExactly(new Address("localhost", 5672));
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

        assertThat(options.addresses()).containsExactly(new Address("key-host", 2222));
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
        assertThat(options.addresses()).containsExactly(new Address("broker.internal", 5671));
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
    void aGroupIsOneQueueUnlessPartitioned() {
        assertThat(RabbitMqOptions.from(config(Map.of())).partitions()).isEqualTo(1);
        assertThat(RabbitMqOptions.from(config(Map.of(RabbitMqOptions.PARTITIONS, "6"))).partitions()).isEqualTo(6);
    }

    @Test
    void partitionsOutOfRangeOrWithoutSingleActiveConsumerFailStartupNamingTheKey() {
        for (Map<String, String> bad : List.of(Map.of(RabbitMqOptions.PARTITIONS, "65"),
                Map.of(RabbitMqOptions.PARTITIONS, "0"),
                Map.of(RabbitMqOptions.PARTITIONS, "4", RabbitMqOptions.SINGLE_ACTIVE_CONSUMER, "false"))) {
            ConfigurationException failure = catchThrowableOfType(() -> RabbitMqOptions.from(config(bad)),
                    ConfigurationException.class);
            assertThat(failure.key()).isEqualTo(RabbitMqOptions.PARTITIONS);
        }
    }

    @Test
    void acceptsTheQueueTypeInAnyCase() {
        SwitchboardConfig config = config(Map.of(RabbitMqOptions.QUEUE_TYPE, "Classic"));

        RabbitMqOptions options = RabbitMqOptions.from(config);

        assertThat(options.queueType()).isEqualTo("classic");
    }

    @Test
    void addressesAreKeptInTheirOrderWithTheDefaultPortWhereNoneIsGiven() {
        SwitchboardConfig config = config(Map.of(RabbitMqOptions.ADDRESSES,
                "rabbit-2.internal:5673, rabbit-1.internal ,10.0.0.7:5674,[fd00::7]:5675,[::1]"));

        RabbitMqOptions options = RabbitMqOptions.from(config);

        assertThat(options.addresses()).containsExactly(new Address("rabbit-2.internal", 5673),
                new Address("rabbit-1.internal", 5672), new Address("10.0.0.7", 5674), new Address("fd00::7", 5675),
                new Address("::1", 5672));
        assertThat(options.describe()).isEqualTo("amqp://guest@rabbit-2.internal:5673,rabbit-1.internal:5672,"
                + "10.0.0.7:5674,[fd00::7]:5675,[::1]:5672 (virtual host /)");
    }

    @Test
    void withTlsAnAddressWithoutAPortTakesTheTlsPort() {
        SwitchboardConfig byUri = config(Map.of(RabbitMqOptions.URI_KEY, "amqps://billing:pw@rabbit-1.internal/",
                RabbitMqOptions.ADDRESSES, "rabbit-1.internal,rabbit-2.internal:5677"));
        SwitchboardConfig byKey = config(Map.of(RabbitMqOptions.TLS, "true",
                RabbitMqOptions.ADDRESSES, "rabbit-1.internal,rabbit-2.internal:5677"));

        assertThat(RabbitMqOptions.from(byUri).addresses()).containsExactly(new Address("rabbit-1.internal", 5671),
                new Address("rabbit-2.internal", 5677));
        assertThat(RabbitMqOptions.from(byKey).addresses()).containsExactly(new Address("rabbit-1.internal", 5671),
                new Address("rabbit-2.internal", 5677));
    }

    @Test
    void withAddressesTheUriStillGivesCredentialsVirtualHostAndTls() {
        SwitchboardConfig config = config(Map.of(RabbitMqOptions.URI_KEY, "amqps://billing:pw@Rabbit-2.Internal/prod",
                RabbitMqOptions.ADDRESSES, "rabbit-1.internal,rabbit-2.internal"));

        RabbitMqOptions options = RabbitMqOptions.from(config);

        assertThat(options.addresses()).containsExactly(new Address("rabbit-1.internal", 5671),
                new Address("rabbit-2.internal", 5671));
        assertThat(options.username()).isEqualTo("billing");
        assertThat(options.password()).isEqualTo("pw");
        assertThat(options.virtualHost()).isEqualTo("prod");
        assertThat(options.tls()).isTrue();
    }

    @Test
    void withAddressesTheHostAndPortKeysMayNameOneOfThem() {
        SwitchboardConfig config = config(Map.of(RabbitMqOptions.HOST, "rabbit-2.internal", RabbitMqOptions.PORT, "5673",
                RabbitMqOptions.ADDRESSES, "rabbit-1.internal:5673,rabbit-2.internal:5673"));

        RabbitMqOptions options = RabbitMqOptions.from(config);

        assertThat(options.addresses()).containsExactly(new Address("rabbit-1.internal", 5673),
                new Address("rabbit-2.internal", 5673));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            RabbitMqOptions.URI_KEY + "=amqp://guest:" + SECRET + "@rabbit-3.internal/",
            RabbitMqOptions.URI_KEY + "=amqp://guest:" + SECRET + "@rabbit-1.internal:5673/",
            RabbitMqOptions.HOST + "=rabbit-3.internal",
            RabbitMqOptions.PORT + "=5673",
            RabbitMqOptions.HOST + "=localhost"})
    void withAddressesAUriHostOrPortNamingAnotherBrokerFailsAtStartup(String setting) {
        String[] keyValue = setting.split("=", 2);
        SwitchboardConfig config = config(Map.of(keyValue[0], keyValue[1],
                RabbitMqOptions.ADDRESSES, "rabbit-1.internal,rabbit-2.internal"));

        ConfigurationException failure = catchThrowableOfType(() -> RabbitMqOptions.from(config),
                ConfigurationException.class);

        assertThat(failure).as("a ConfigurationException for %s", keyValue[0]).isNotNull();
        assertThat(failure.key()).isEqualTo(RabbitMqOptions.ADDRESSES);
        assertThat(failure.getMessage()).contains(RabbitMqOptions.ADDRESSES).contains(RabbitMqOptions.URI_KEY)
                .contains(RabbitMqOptions.HOST).contains("rabbit-1.internal,rabbit-2.internal").doesNotContain(SECRET);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                              | entry 1 is empty",
            "'  '                            | entry 1 is empty",
            "rabbit-1.internal,,rabbit-2     | entry 2 is empty",
            "rabbit-1.internal,              | entry 2 is empty",
            "rabbit-1.internal:x             | the port of \"rabbit-1.internal:x\" is not a number from 1 to 65535",
            "rabbit-1.internal:              | the port of \"rabbit-1.internal:\" is not a number from 1 to 65535",
            "rabbit-1.internal:0             | the port of \"rabbit-1.internal:0\" is not a number from 1 to 65535",
            "rabbit-1.internal:65536         | the port of \"rabbit-1.internal:65536\" is not a number from 1 to 65535",
            "rabbit-1.internal:-5672         | the port of \"rabbit-1.internal:-5672\" is not a number from 1 to 65535",
            "amqp://rabbit-1.internal:5672   | \"amqp://rabbit-1.internal:5672\" has a scheme",
            "rabbit-1,amqps://rabbit-2       | \"amqps://rabbit-2\" has a scheme",
            "::1                             | \"::1\" is not host[:port] (an IPv6 host goes in brackets",
            "rabbit-1.internal:5672/prod     | \"rabbit-1.internal:5672/prod\" is not host[:port]",
            "rabbit 1                        | \"rabbit 1\" is not host[:port]",
            ":5672                           | \":5672\" is not host[:port]"})
    void aBadAddressFailsAtStartupNamingTheKeyAndWhatWasExpected(String addresses, String problem) {
        SwitchboardConfig config = config(Map.of(RabbitMqOptions.ADDRESSES, addresses));

        ConfigurationException failure = catchThrowableOfType(() -> RabbitMqOptions.from(config),
                ConfigurationException.class);

        assertThat(failure).as("a ConfigurationException for \"%s\"", addresses).isNotNull();
        assertThat(failure.key()).isEqualTo(RabbitMqOptions.ADDRESSES);
        assertThat(failure.getMessage()).startsWith(RabbitMqOptions.ADDRESSES + " must be host[:port],host[:port],…")
                .contains(problem);
    }

    @ParameterizedTest
    @ValueSource(strings = {"guest:" + SECRET + "@rabbit-1.internal:5672", "rabbit-1,amqp://guest:" + SECRET + "@rabbit-2"})
    void credentialsInTheAddressesFailWithoutBeingShown(String addresses) {
        SwitchboardConfig config = config(Map.of(RabbitMqOptions.ADDRESSES, addresses));

        ConfigurationException failure = catchThrowableOfType(() -> RabbitMqOptions.from(config),
                ConfigurationException.class);

        assertThat(failure).isNotNull();
        assertThat(failure.key()).isEqualTo(RabbitMqOptions.ADDRESSES);
        assertThat(failure.getMessage()).contains(RabbitMqOptions.ADDRESSES).contains("without credentials")
                .doesNotContain(SECRET);
        assertThat(failure.toString()).doesNotContain(SECRET);
    }

    @Test
    void aCommaListInTheHostKeyFailsPointingToTheAddressesKey() {
        SwitchboardConfig config = config(Map.of(RabbitMqOptions.HOST, "rabbit-1.internal,rabbit-2.internal"));

        ConfigurationException failure = catchThrowableOfType(() -> RabbitMqOptions.from(config),
                ConfigurationException.class);

        assertThat(failure).isNotNull();
        assertThat(failure.key()).isEqualTo(RabbitMqOptions.HOST);
        assertThat(failure.getMessage()).contains(RabbitMqOptions.HOST + " takes one host")
                .contains("list several brokers in " + RabbitMqOptions.ADDRESSES);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "amqp://guest:" + SECRET + "@rabbit-1.internal:5672,rabbit-2.internal:5672/prod",
            "amqp://guest:" + SECRET + "@rabbit-1.internal,rabbit-2.internal/",
            "amqps://rabbit-1.internal,rabbit-2.internal"})
    void aCommaListInTheUriFailsPointingToTheAddressesKeyWithoutShowingThePassword(String uri) {
        SwitchboardConfig config = config(Map.of(RabbitMqOptions.URI_KEY, uri));

        ConfigurationException failure = catchThrowableOfType(() -> RabbitMqOptions.from(config),
                ConfigurationException.class);

        assertThat(failure).as("a ConfigurationException for %s", SwitchboardConfig.maskUriPassword(uri)).isNotNull();
        assertThat(failure.key()).isEqualTo(RabbitMqOptions.URI_KEY);
        assertThat(failure.getMessage()).contains(RabbitMqOptions.URI_KEY + " names one broker")
                .contains("list several in " + RabbitMqOptions.ADDRESSES).doesNotContain(SECRET);
    }

    @Test
    void aCommaElsewhereInTheUriIsNoList() {
        SwitchboardConfig config = config(Map.of(RabbitMqOptions.URI_KEY, "amqp://billing:a,b@broker.internal/eu,us"));

        RabbitMqOptions options = RabbitMqOptions.from(config);

        assertThat(options.password()).isEqualTo("a,b");
        assertThat(options.virtualHost()).isEqualTo("eu,us");
        assertThat(options.addresses()).containsExactly(new Address("broker.internal", 5672));
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

    @Test
    void withAddressesToStringAndDescribeShowEveryAddressButNeverThePassword() {
        SwitchboardConfig config = config(Map.of(RabbitMqOptions.URI_KEY, "amqp://billing:" + SECRET + "@rabbit-1.internal/",
                RabbitMqOptions.ADDRESSES, "rabbit-1.internal,rabbit-2.internal:5673"));

        RabbitMqOptions options = RabbitMqOptions.from(config);

        assertThat(options.password()).isEqualTo(SECRET);
        assertThat(options.toString()).doesNotContain(SECRET).contains(SwitchboardConfig.REDACTED)
                .contains("billing@rabbit-1.internal:5672,rabbit-2.internal:5673");
        assertThat(options.describe()).doesNotContain(SECRET);
    }

    private static SwitchboardConfig config(Map<String, String> values) {
        return SwitchboardConfig.of(values);
    }
}
