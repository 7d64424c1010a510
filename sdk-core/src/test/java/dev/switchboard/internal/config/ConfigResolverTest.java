package dev.switchboard.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ConfigurationException;
import dev.switchboard.SwitchboardConfig;
import dev.switchboard.spi.ConfigKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigResolverTest {
    private static final List<ConfigKey> KEYS = keys();

    private static List<ConfigKey> keys() {
        List<ConfigKey> keys = new ArrayList<>(CoreConfigKeys.ALL);
        keys.add(ConfigKey.of("switchboard.kafka.bootstrap-servers", "brokers"));
        keys.add(ConfigKey.of("switchboard.kafka.producer-id", "a plain key that a prefix key also could take"));
        keys.add(ConfigKey.prefix("switchboard.kafka.producer.", "native producer settings"));
        keys.add(ConfigKey.prefix("switchboard.kafka.consumer.", "native consumer properties, such as fetch.min.bytes",
                Set.of("fetch.min.bytes", "max.poll.records", "metrics.context.")));
        keys.add(ConfigKey.secret("switchboard.kafka.password", "SASL password"));
        return List.copyOf(keys);
    }

    private static SwitchboardConfig resolve(Map<String, String> explicit, Map<String, String> system,
                                             Map<String, String> env, Map<String, String> file) {
        return ConfigResolver.resolve(explicit, system, env, file, KEYS, Set.of("rabbitmq"));
    }

    private static SwitchboardConfig fromSystem(Map<String, String> system) {
        return resolve(Map.of(), system, Map.of(), Map.of());
    }

    private static SwitchboardConfig fromEnv(Map<String, String> env) {
        return resolve(Map.of(), Map.of(), env, Map.of());
    }

    @Test
    void higherSourcesWinAndOriginsAreRecorded() {
        SwitchboardConfig config = resolve(
                Map.of("switchboard.broker", "kafka"),
                Map.of("switchboard.broker", "rabbitmq", "switchboard.service-name", "sys"),
                Map.of("SWITCHBOARD_BROKER", "sns-sqs", "SWITCHBOARD_SERVICE_NAME", "env", "SWITCHBOARD_SOURCE", "/env"),
                Map.of("switchboard.broker", "in-memory", "switchboard.service-name", "file",
                        "switchboard.source", "/file", "switchboard.provisioning", "none"));

        assertThat(config.asMap()).containsOnly(
                Map.entry("switchboard.broker", "kafka"),
                Map.entry("switchboard.service-name", "sys"),
                Map.entry("switchboard.source", "/env"),
                Map.entry("switchboard.provisioning", "none"));
        assertThat(config.originOf("switchboard.broker")).contains("explicit properties");
        assertThat(config.originOf("switchboard.service-name")).contains("system properties");
        assertThat(config.originOf("switchboard.source")).contains("environment variable SWITCHBOARD_SOURCE");
        assertThat(config.originOf("switchboard.provisioning")).contains("classpath switchboard.properties");
    }

    @Test
    void environmentBindsRelaxedToPlainKeys() {
        SwitchboardConfig config = fromEnv(Map.of(
                "SWITCHBOARD_KAFKA_BOOTSTRAP_SERVERS", "localhost:9092",
                "SWITCHBOARD_CONSUMER_POLL_TIMEOUT", "1s",
                "SWITCHBOARD_PUBLISH_TIMEOUT", "5s",
                "SWITCHBOARD_KAFKA_PRODUCER_ID", "p1"));

        assertThat(config.asMap()).containsOnly(
                Map.entry("switchboard.kafka.bootstrap-servers", "localhost:9092"),
                Map.entry("switchboard.consumer.poll-timeout", "1s"),
                Map.entry("switchboard.publish.timeout", "5s"),
                Map.entry("switchboard.kafka.producer-id", "p1"));
        assertThat(config.originOf("switchboard.kafka.bootstrap-servers"))
                .contains("environment variable SWITCHBOARD_KAFKA_BOOTSTRAP_SERVERS");
    }

    @Test
    void environmentBindsToPrefixKeysAsNativePassThrough() {
        SwitchboardConfig config = fromEnv(Map.of(
                "SWITCHBOARD_KAFKA_PRODUCER_LINGER_MS", "5",
                "SWITCHBOARD_KAFKA_PRODUCER_ACKS", "all"));

        assertThat(config.subtree("switchboard.kafka.producer.")).containsOnly(
                Map.entry("linger.ms", "5"), Map.entry("acks", "all"));
    }

    @Test
    void misspelledSystemPropertyNamesTheNearestKey() {
        assertThatThrownBy(() -> fromSystem(Map.of("switchboard.brokr", "kafka")))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.key()).isEqualTo("switchboard.brokr"))
                .hasMessage("unknown configuration key 'switchboard.brokr' (from system properties); "
                        + "did you mean 'switchboard.broker'?");
    }

    @Test
    void misspelledEnvironmentVariableNamesTheNearestKeyAndVariable() {
        assertThatThrownBy(() -> fromEnv(Map.of("SWITCHBOARD_BROKR", "kafka")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("unknown configuration key 'switchboard.brokr' (from environment variable SWITCHBOARD_BROKR); "
                        + "did you mean 'switchboard.broker' (SWITCHBOARD_BROKER)?");
    }

    @Test
    void misspelledPrefixSuggestsThePassThroughPrefix() {
        assertThatThrownBy(() -> fromSystem(Map.of("switchboard.kafka.prodcer.linger.ms", "5")))
                .hasMessageContaining("did you mean 'switchboard.kafka.producer.<native key>'?");
    }

    @Test
    void aPrefixWithNativeNamesAcceptsThoseAndTheirFamilies() {
        SwitchboardConfig config = resolve(
                Map.of("switchboard.kafka.consumer.fetch.min.bytes", "1024"),
                Map.of("switchboard.kafka.consumer.metrics.context.team", "billing"),
                Map.of("SWITCHBOARD_KAFKA_CONSUMER_MAX_POLL_RECORDS", "10"),
                Map.of());

        assertThat(config.subtree("switchboard.kafka.consumer.")).containsOnly(
                Map.entry("fetch.min.bytes", "1024"), Map.entry("metrics.context.team", "billing"),
                Map.entry("max.poll.records", "10"));
    }

    @Test
    void aMisspeltNativeKeyNamesTheNearestNativeKey() {
        assertThatThrownBy(() -> resolve(Map.of("switchboard.kafka.consumer.fetch.min.byte", "1"), Map.of(), Map.of(),
                Map.of()))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.key()).isEqualTo("switchboard.kafka.consumer.fetch.min.byte"))
                .hasMessage("unknown configuration key 'switchboard.kafka.consumer.fetch.min.byte' (from explicit"
                        + " properties); did you mean 'switchboard.kafka.consumer.fetch.min.bytes'?");
        assertThatThrownBy(() -> fromEnv(Map.of("SWITCHBOARD_KAFKA_CONSUMER_MAX_POLL_RECORD", "10")))
                .hasMessageEndingWith("did you mean 'switchboard.kafka.consumer.max.poll.records'"
                        + " (SWITCHBOARD_KAFKA_CONSUMER_MAX_POLL_RECORDS)?");
        assertThatThrownBy(() -> fromSystem(Map.of("switchboard.kafka.consumer.metrics.context", "x")))
                .hasMessageEndingWith("did you mean 'switchboard.kafka.consumer.metrics.context.<native key>'?");
    }

    @Test
    void aNativeKeyFarFromEveryNativeNameSaysWhatThePrefixTakes() {
        String key = "switchboard.kafka.consumer.interceptor.custom.retry.budget.per.partition";

        assertThatThrownBy(() -> fromSystem(Map.of(key, "3")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("unknown configuration key '" + key + "' (from system properties);"
                        + " switchboard.kafka.consumer.<native key> takes only names its client knows:"
                        + " native consumer properties, such as fetch.min.bytes");
    }

    @Test
    void unknownKeyWithoutNearMatchListsNamespaces() {
        assertThatThrownBy(() -> fromSystem(Map.of("switchboard.completely.unrelated.thing", "x")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("unknown configuration key 'switchboard.completely.unrelated.thing'")
                .hasMessageContaining("valid keys start with: ")
                .hasMessageContaining("switchboard.broker")
                .hasMessageNotContaining("did you mean");
    }

    @Test
    void keysOfAbsentBrokersAreDropped() {
        SwitchboardConfig config = resolve(
                Map.of("switchboard.rabbitmq.uri", "amqp://localhost"),
                Map.of("switchboard.rabbitmq.prefetch", "10"),
                Map.of("SWITCHBOARD_RABBITMQ_HOST", "localhost"),
                Map.of("switchboard.broker", "kafka"));

        assertThat(config.asMap()).containsOnlyKeys("switchboard.broker");
    }

    @Test
    void explicitOrFileKeyOutsideSwitchboardFails() {
        assertThatThrownBy(() -> resolve(Map.of("broker", "kafka"), Map.of(), Map.of(), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'broker'")
                .hasMessageContaining("explicit properties");
        assertThatThrownBy(() -> resolve(Map.of(), Map.of(), Map.of(), Map.of("kafka.broker", "x")))
                .hasMessageContaining("'kafka.broker'")
                .hasMessageContaining("classpath switchboard.properties");
    }

    @ParameterizedTest
    @ValueSource(strings = {"switchboard..broker", "switchboard.broker.", "switchboard.bro ker", "switchboard.bro$ker"})
    void malformedKeyFails(String key) {
        assertThatThrownBy(() -> fromSystem(Map.of(key, "x")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("malformed configuration key '" + key + "'");
    }

    @Test
    void foreignSystemPropertiesAndEnvironmentVariablesAreIgnored() {
        SwitchboardConfig config = resolve(Map.of(),
                Map.of("java.version", "17", "user.home", "/root", "switchboardx", "y"),
                Map.of("PATH", "/usr/bin", "HOME", "/root", "switchboard_broker", "kafka", "SWITCHBOARDX", "y"),
                Map.of());

        assertThat(config.asMap()).isEmpty();
    }

    @Test
    void secretsAreRedactedAndNeverInErrors() {
        SwitchboardConfig config = resolve(
                Map.of("switchboard.kafka.password", "hunter2"),
                Map.of("switchboard.kafka.producer.sasl.jaas.config", "jaas-secret-value"),
                Map.of(), Map.of());

        assertThat(config.isSecret("switchboard.kafka.password")).isTrue();
        assertThat(config.toString()).contains("switchboard.kafka.password=******",
                "switchboard.kafka.producer.sasl.jaas.config=******")
                .doesNotContain("hunter2", "jaas-secret-value");

        assertThatThrownBy(() -> resolve(
                Map.of("switchboard.kafka.password", "hunter2"),
                Map.of("switchboard.kafka.pasword", "hunter3"), Map.of(), Map.of()))
                .hasMessageContaining("did you mean 'switchboard.kafka.password'?")
                .hasMessageNotContaining("hunter");
    }

    @Test
    void declaredSecretIsRedactedWhateverItsName() {
        List<ConfigKey> keys = List.of(ConfigKey.secret("switchboard.kafka.sasl", "an opaque secret"));
        SwitchboardConfig config = ConfigResolver.resolve(Map.of("switchboard.kafka.sasl", "opaque"),
                Map.of(), Map.of(), Map.of(), keys, Set.of());

        assertThat(SwitchboardConfig.isSecretName("switchboard.kafka.sasl")).isFalse();
        assertThat(config.toString()).isEqualTo("SwitchboardConfig{switchboard.kafka.sasl=******}");
    }

    @Test
    void readsClasspathPropertiesOrNothing() {
        assertThat(ConfigResolver.classpathProperties("config-resolver-test.properties")).containsOnly(
                Map.entry("switchboard.service-name", "from-file"),
                Map.entry("switchboard.consumer.prefetch", "7"));
        assertThat(ConfigResolver.classpathProperties("no-such-config-resolver-test.properties")).isEmpty();
    }
}
