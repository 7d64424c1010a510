package dev.switchboard.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ConfigurationException;
import dev.switchboard.Messaging;
import dev.switchboard.spi.ConfigKey;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The provider's keys: native pass-through checked against the clients' own config names; no broker. */
class KafkaProviderTest {
    private static final List<ConfigKey> KEYS = new KafkaProvider().configKeys();

    @Test
    void everyConfigNameOfAClientIsAcceptedUnderItsPrefixes() {
        assertAccepted(KafkaOptions.PRODUCER_PREFIX, ProducerConfig.configNames());
        assertAccepted(KafkaOptions.CONSUMER_PREFIX, ConsumerConfig.configNames());
        assertAccepted(KafkaOptions.ADMIN_PREFIX, AdminClientConfig.configNames());
        assertAccepted(KafkaOptions.PROPERTIES_PREFIX, ProducerConfig.configNames());
        assertAccepted(KafkaOptions.PROPERTIES_PREFIX, ConsumerConfig.configNames());
        assertAccepted(KafkaOptions.PROPERTIES_PREFIX, AdminClientConfig.configNames());
        assertAccepted(KafkaOptions.PREFIX, Set.of("sasl.mechanism", "sasl.jaas.config", "sasl.username",
                "sasl.password", "ssl.truststore.location", "ssl.keystore.key", "security.protocol"));
    }

    @Test
    void configProvidersAndMetricsContextAreOpenEndedFamilies() {
        assertAccepted(KafkaOptions.PROPERTIES_PREFIX, Set.of("config.providers.file.class",
                "config.providers.vault.param.address", "metrics.context.team"));
        assertAccepted(KafkaOptions.PRODUCER_PREFIX, Set.of("config.providers.file.class", "metrics.context.team"));
    }

    @Test
    void aNameOfAnotherClientIsNotAcceptedUnderAClientPrefix() {
        assertThat(KEYS).noneMatch(key -> key.matches(KafkaOptions.PRODUCER_PREFIX + ConsumerConfig.GROUP_ID_CONFIG));
        assertThat(KEYS).noneMatch(key -> key.matches(KafkaOptions.ADMIN_PREFIX + ProducerConfig.LINGER_MS_CONFIG));
        assertThat(KEYS).noneMatch(key -> key.matches(KafkaOptions.PREFIX + "linger.ms"));
    }

    @ParameterizedTest
    @CsvSource({
            "switchboard.kafka.sasl.pasword, switchboard.kafka.sasl.password",
            "switchboard.kafka.sasl.jaas.confg, switchboard.kafka.sasl.jaas.config",
            "switchboard.kafka.ssl.truststore.pasword, switchboard.kafka.ssl.truststore.password",
            "switchboard.kafka.producer.linger.msx, switchboard.kafka.producer.linger.ms",
            "switchboard.kafka.consumer.max.poll.record, switchboard.kafka.consumer.max.poll.records",
            "switchboard.kafka.properties.ssl.keystore.pasword, switchboard.kafka.properties.ssl.keystore.password"})
    void aMisspeltNativeKeyFailsStartupWithTheNearestValidKey(String misspelt, String valid) {
        Map<String, String> properties = Map.of("switchboard.broker", "kafka", misspelt, "hunter2");

        assertThatThrownBy(() -> Messaging.fromConfig(properties))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.key()).isEqualTo(misspelt))
                .hasMessage("unknown configuration key '" + misspelt + "' (from explicit properties); did you mean '"
                        + valid + "'?");
    }

    private static void assertAccepted(String prefix, Set<String> names) {
        assertThat(names).allSatisfy(name -> assertThat(KEYS)
                .as(prefix + name).anyMatch(key -> key.matches(prefix + name)));
    }
}
