package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SwitchboardConfigTest {
    private static final String KEY = "switchboard.test.value";

    private static SwitchboardConfig with(String value) {
        return SwitchboardConfig.of(Map.of(KEY, value));
    }

    @Test
    void stringAccessors() {
        SwitchboardConfig config = with("hello");

        assertThat(config.string(KEY)).contains("hello");
        assertThat(config.string("switchboard.missing")).isEmpty();
        assertThat(config.string(KEY, "default")).isEqualTo("hello");
        assertThat(config.string("switchboard.missing", "default")).isEqualTo("default");
        assertThat(config.originOf(KEY)).contains("explicit properties");
        assertThat(config.originOf("switchboard.missing")).isEmpty();
    }

    @Test
    void integerParsesTrimmedValueOrDefault() {
        assertThat(with(" 42 ").integer(KEY, 7)).isEqualTo(42);
        assertThat(with("-3").integer(KEY, 7)).isEqualTo(-3);
        assertThat(SwitchboardConfig.of(Map.of()).integer(KEY, 7)).isEqualTo(7);
    }

    @ParameterizedTest
    @ValueSource(strings = {"forty", "4.5", "", "99999999999"})
    void malformedIntegerNamesKeyAndExpectedForm(String raw) {
        assertThatThrownBy(() -> with(raw).integer(KEY, 7))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(KEY + " must be an integer, was \"" + raw + "\" (from explicit properties)")
                .satisfies(e -> assertThat(((ConfigurationException) e).key()).isEqualTo(KEY))
                .satisfies(e -> assertThat(((ConfigurationException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }

    @Test
    void integerWithMinimum() {
        assertThat(with("5").integer(KEY, 1, 5)).isEqualTo(5);
        assertThat(SwitchboardConfig.of(Map.of()).integer(KEY, 3, 1)).isEqualTo(3);

        assertThatThrownBy(() -> with("0").integer(KEY, 1, 1))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(KEY + " must be >= 1, was 0 (from explicit properties)");
    }

    @Test
    void decimal() {
        assertThat(with("0.25").decimal(KEY, 1.0)).isEqualTo(0.25);
        assertThat(SwitchboardConfig.of(Map.of()).decimal(KEY, 1.5)).isEqualTo(1.5);

        assertThatThrownBy(() -> with("a quarter").decimal(KEY, 1.0))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(KEY + " must be a decimal number, was \"a quarter\" (from explicit properties)");
    }

    @ParameterizedTest
    @CsvSource({"true,true", "false,false", "TRUE,true", "' False ',false"})
    void boolAcceptsTrueAndFalseCaseInsensitively(String raw, boolean expected) {
        assertThat(with(raw).bool(KEY, !expected)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "1", "on", ""})
    void boolRejectsOtherWords(String raw) {
        assertThatThrownBy(() -> with(raw).bool(KEY, false))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(KEY + " must be true or false, was \"" + raw + "\" (from explicit properties)");
    }

    @Test
    void boolDefault() {
        assertThat(SwitchboardConfig.of(Map.of()).bool(KEY, true)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
            "500ms, PT0.5S",
            "30s, PT30S",
            "5m, PT5M",
            "2h, PT2H",
            "1d, PT24H",
            "PT30S, PT30S",
            "pt1m, PT1M",
            "1500, PT1.5S",
            "'  250ms ', PT0.25S",
            "0, PT0S"})
    void durationForms(String raw, String expected) {
        assertThat(with(raw).duration(KEY, Duration.ofDays(9))).isEqualTo(Duration.parse(expected));
    }

    @Test
    void durationDefault() {
        assertThat(SwitchboardConfig.of(Map.of()).duration(KEY, Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "5 minutes", "-5s", "-PT5S", "PTX", "1.5s", "5M", ""})
    void malformedDurationNamesKeyAndForms(String raw) {
        assertThatThrownBy(() -> with(raw).duration(KEY, Duration.ZERO))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(KEY + " must be a non-negative duration such as 500ms, 30s, 5m or PT30S, was \"" + raw
                        + "\" (from explicit properties)");
    }

    @Test
    void overflowingDurationIsAConfigurationException() {
        assertThatThrownBy(() -> with("9223372036854775807d").duration(KEY, Duration.ZERO))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(KEY);
    }

    @Test
    void overflowingAmountIsAConfigurationException() {
        assertThatThrownBy(() -> with("99999999999999999999ms").duration(KEY, Duration.ZERO))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(KEY);
    }

    enum Mode { DEAD_LETTER, SKIP, AT_MOST_ONCE }

    @ParameterizedTest
    @CsvSource({"dead-letter, DEAD_LETTER", "DEAD_LETTER, DEAD_LETTER", "skip, SKIP", "' Skip ', SKIP",
            "at-most-once, AT_MOST_ONCE"})
    void enumValueMatchesCaseInsensitivelyWithDashes(String raw, Mode expected) {
        assertThat(with(raw).enumValue(KEY, Mode.class, null)).isEqualTo(expected);
    }

    @Test
    void enumValueDefaultAndErrorListsAllowedValues() {
        assertThat(SwitchboardConfig.of(Map.of()).enumValue(KEY, Mode.class, Mode.SKIP)).isEqualTo(Mode.SKIP);

        assertThatThrownBy(() -> with("dead letter").enumValue(KEY, Mode.class, Mode.SKIP))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(KEY + " must be one of dead-letter, skip, at-most-once, was \"dead letter\""
                        + " (from explicit properties)");
    }

    @Test
    void requireReturnsValueOrNamesKeyAndExpectation() {
        SwitchboardConfig config = SwitchboardConfig.of(Map.of(KEY, "x", "switchboard.blank", "  "));

        assertThat(config.require(KEY, "anything")).isEqualTo("x");
        assertThatThrownBy(() -> config.require("switchboard.kafka.bootstrap-servers", "host:port[,host:port]"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("switchboard.kafka.bootstrap-servers is required: expected host:port[,host:port]")
                .satisfies(e -> assertThat(((ConfigurationException) e).key())
                        .isEqualTo("switchboard.kafka.bootstrap-servers"));
        assertThatThrownBy(() -> config.require("switchboard.blank", "a value"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("switchboard.blank is required");
    }

    @Test
    void subtreeStripsPrefixAndSkipsPrefixItself() {
        SwitchboardConfig config = SwitchboardConfig.of(Map.of(
                "switchboard.kafka.producer.acks", "all",
                "switchboard.kafka.producer.linger.ms", "5",
                "switchboard.kafka.producer.", "ignored",
                "switchboard.kafka.producerx", "other",
                "switchboard.kafka.consumer.group", "g"));

        assertThat(config.subtree("switchboard.kafka.producer."))
                .containsOnly(Map.entry("acks", "all"), Map.entry("linger.ms", "5"));
        assertThat(config.subtree("switchboard.none.")).isEmpty();
    }

    @Test
    void asMapIsUnmodifiable() {
        SwitchboardConfig config = with("v");

        assertThatThrownBy(() -> config.asMap().put("switchboard.x", "y"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"switchboard.kafka.sasl.jaas.config", "switchboard.rabbitmq.password",
            "switchboard.aws.secret-access-key", "switchboard.x.api-token", "switchboard.x.credentials",
            "switchboard.x.private.key", "switchboard.x.api_key", "switchboard.x.PASSWD",
            "switchboard.kafka.ssl.keystore.key", "switchboard.kafka.properties.ssl.truststore.certificates",
            "switchboard.kafka.sasl.oauthbearer.assertion.private.key.passphrase", "switchboard.x.sasl.client.config",
            "switchboard.x.signing-key", "ssl.keystore.key", "sasl.jaas.config"})
    void secretNamesAreRecognised(String key) {
        assertThat(SwitchboardConfig.isSecretName(key)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"switchboard.kafka.bootstrap-servers", "switchboard.broker", "switchboard.retry.max-attempts",
            "switchboard.kafka.producer.key.serializer", "switchboard.kafka.producer.partitioner.ignore.keys",
            "switchboard.kafka.ssl.keystore.location", "switchboard.kafka.ssl.keymanager.algorithm",
            "switchboard.kafka.sasl.mechanism", "switchboard.kafka.sasl.login.callback.handler.class",
            "switchboard.kafka.config.providers", "switchboard.x.monkey", "ssl.truststore.location"})
    void ordinaryNamesAreNotSecret(String key) {
        assertThat(SwitchboardConfig.isSecretName(key)).isFalse();
    }

    @Test
    void toStringRedactsHeuristicAndDeclaredSecrets() {
        String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"hunter2\";";
        SwitchboardConfig config = new SwitchboardConfig(
                Map.of("switchboard.kafka.sasl.jaas.config", jaas,
                        "switchboard.rabbitmq.password", "s3cr3t-pw",
                        "switchboard.aws.session", "declared-secret-value",
                        "switchboard.broker", "kafka"),
                Map.of(),
                Set.of("switchboard.aws.session"));

        String text = config.toString();

        assertThat(text).doesNotContain("hunter2").doesNotContain("s3cr3t-pw").doesNotContain("declared-secret-value");
        assertThat(text).contains("switchboard.kafka.sasl.jaas.config=******")
                .contains("switchboard.rabbitmq.password=******")
                .contains("switchboard.aws.session=******")
                .contains("switchboard.broker=kafka");
        assertThat(config.isSecret("switchboard.aws.session")).isTrue();
        assertThat(config.isSecret("switchboard.broker")).isFalse();
        assertThat(config.display("switchboard.aws.session")).isEqualTo("******");
        assertThat(config.display("switchboard.missing")).isNull();
    }

    @Test
    void toStringRedactsEveryNativeSecretWhateverItsPassThroughPrefix() {
        Map<String, String> values = new TreeMap<>();
        for (String prefix : List.of("switchboard.kafka.", "switchboard.kafka.properties.", "switchboard.kafka.producer.",
                "switchboard.kafka.consumer.", "switchboard.kafka.admin.")) {
            for (String secret : List.of("sasl.jaas.config", "ssl.keystore.password", "ssl.key.password",
                    "ssl.keystore.key", "ssl.truststore.password", "sasl.oauthbearer.client.credentials.client.secret")) {
                values.put(prefix + secret, "hidden-" + prefix + secret);
            }
            values.put(prefix + "ssl.keystore.location", "/etc/kafka/keystore.p12");
        }

        String text = SwitchboardConfig.of(values).toString();

        assertThat(text).doesNotContain("hidden-")
                .contains("switchboard.kafka.ssl.keystore.key=******",
                        "switchboard.kafka.producer.sasl.jaas.config=******",
                        "switchboard.kafka.admin.ssl.keystore.location=/etc/kafka/keystore.p12");
    }

    @Test
    void redactHidesSecretNamesAndMasksUriPasswordsOtherwise() {
        assertThat(SwitchboardConfig.redact("ssl.keystore.key", "-----BEGIN PRIVATE KEY-----")).isEqualTo("******");
        assertThat(SwitchboardConfig.redact("sasl.jaas.config", "x required password=\"p\";")).isEqualTo("******");
        assertThat(SwitchboardConfig.redact("bootstrap.servers", "SASL_SSL://u:pw@h:9092"))
                .isEqualTo("SASL_SSL://u:******@h:9092");
        assertThat(SwitchboardConfig.redact("linger.ms", "5")).isEqualTo("5");
    }

    @Test
    void uriPasswordIsMasked() {
        SwitchboardConfig config = SwitchboardConfig.of(Map.of("switchboard.rabbitmq.uri", "amqp://user:pass@host:5672/"));

        assertThat(config.toString()).contains("amqp://user:******@host:5672/").doesNotContain("user:pass@");
        assertThat(config.display("switchboard.rabbitmq.uri")).isEqualTo("amqp://user:******@host:5672/");
        assertThat(SwitchboardConfig.maskUriPassword("amqp://user:pass@host:5672/"))
                .isEqualTo("amqp://user:******@host:5672/");
    }

    @Test
    void uriWithoutPasswordIsUnchanged() {
        assertThat(SwitchboardConfig.maskUriPassword("amqp://user@host:5672/vhost"))
                .isEqualTo("amqp://user@host:5672/vhost");
        assertThat(SwitchboardConfig.maskUriPassword("amqp://host:5672/")).isEqualTo("amqp://host:5672/");
    }

    @Test
    void everyUriInAListIsMasked() {
        String masked = SwitchboardConfig.maskUriPassword("amqp://a:p1@h1:5672/,amqp://b:p2@h2:5672/");

        assertThat(masked).doesNotContain("p1").doesNotContain("p2")
                .isEqualTo("amqp://a:******@h1:5672/,amqp://b:******@h2:5672/");
    }

    @Test
    void malformedSecretValueNeverAppearsInException() {
        SwitchboardConfig config = new SwitchboardConfig(
                Map.of("switchboard.x.session-timeout", "hunter2-not-a-duration",
                        "switchboard.x.token-ttl", "hunter3-not-a-number"),
                Map.of("switchboard.x.session-timeout", "system properties"),
                Set.of("switchboard.x.session-timeout"));

        assertThatThrownBy(() -> config.duration("switchboard.x.session-timeout", Duration.ZERO))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("switchboard.x.session-timeout")
                .hasMessageContaining("******")
                .hasMessageContaining("(from system properties)")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> config.integer("switchboard.x.token-ttl", 1))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("switchboard.x.token-ttl")
                .hasMessageNotContaining("hunter3");
    }

    @Test
    void malformedUriValueHasPasswordMaskedInException() {
        SwitchboardConfig config = SwitchboardConfig.of(Map.of("switchboard.rabbitmq.port", "amqp://u:topsecret@h:1/"));

        assertThatThrownBy(() -> config.integer("switchboard.rabbitmq.port", 5672))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("amqp://u:******@h:1/")
                .hasMessageNotContaining("topsecret");
    }

    @Test
    void belowMinimumSecretValueIsRedacted() {
        SwitchboardConfig config = new SwitchboardConfig(Map.of("switchboard.x.pin", "3"), Map.of(),
                Set.of("switchboard.x.pin"));

        assertThatThrownBy(() -> config.integer("switchboard.x.pin", 5, 5))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("switchboard.x.pin")
                .hasMessageNotContaining("was 3");
    }
}
