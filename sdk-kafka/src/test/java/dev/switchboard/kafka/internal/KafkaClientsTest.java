package dev.switchboard.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.SwitchboardConfig;
import dev.switchboard.kafka.KafkaOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The native configuration of each client: Switchboard's defaults, overridden by every pass-through; no broker. */
class KafkaClientsTest {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(7);

    @Test
    void theProducerDefaultsAreAtLeastOnceAndBoundedByTheConnectTimeout() {
        KafkaClients clients = clients(Map.of());

        Map<String, Object> producer = clients.producer();

        assertThat(producer).containsEntry("acks", "all").containsEntry("enable.idempotence", true)
                .containsEntry("linger.ms", 5).containsEntry("max.block.ms", 7000L)
                .containsEntry("bootstrap.servers", "localhost:9092");
        assertThat((String) producer.get("client.id")).startsWith("billing-producer-");
    }

    @Test
    void aProducerPassThroughOverridesOurDefault() {
        KafkaClients clients = clients(Map.of("switchboard.kafka.producer.linger.ms", "50"));

        Map<String, Object> producer = clients.producer();

        assertThat(producer).containsEntry("linger.ms", "50");
    }

    @Test
    void aConsumerAndAnAdminPassThroughOverrideOurDefaults() {
        KafkaClients clients = clients(Map.of(
                "switchboard.kafka.consumer.auto.offset.reset", "latest",
                "switchboard.kafka.admin.request.timeout.ms", "1234"));

        assertThat(clients.consumer("billing", 16)).containsEntry("auto.offset.reset", "latest");
        assertThat(clients.admin()).containsEntry("request.timeout.ms", "1234");
    }

    @Test
    void aPropertiesPassThroughOverridesTheDefaultsOfEveryClient() {
        KafkaClients clients = clients(Map.of(
                "switchboard.kafka.properties.linger.ms", "50",
                "switchboard.kafka.properties.auto.offset.reset", "latest",
                "switchboard.kafka.properties.request.timeout.ms", "1234"));

        assertThat(clients.producer()).containsEntry("linger.ms", "50");
        assertThat(clients.consumer("billing", 16)).containsEntry("auto.offset.reset", "latest");
        assertThat(clients.admin()).containsEntry("request.timeout.ms", "1234");
    }

    @Test
    void aRoleSpecificPassThroughBeatsAPropertiesPassThrough() {
        KafkaClients clients = clients(Map.of(
                "switchboard.kafka.properties.linger.ms", "50",
                "switchboard.kafka.producer.linger.ms", "60"));

        assertThat(clients.producer()).containsEntry("linger.ms", "60");
    }

    @Test
    void propertiesReachEveryClientAndRolePropertiesOnlyTheirOwn() {
        KafkaClients clients = clients(Map.of(
                "switchboard.kafka.properties.metadata.max.age.ms", "1000",
                "switchboard.kafka.producer.compression.type", "zstd"));

        List<Map<String, Object>> all = List.of(clients.producer(), clients.consumer("billing", 16), clients.admin());

        assertThat(all).allSatisfy(config -> assertThat(config).containsEntry("metadata.max.age.ms", "1000"));
        assertThat(clients.producer()).containsEntry("compression.type", "zstd");
        assertThat(clients.consumer("billing", 16)).doesNotContainKey("compression.type");
        assertThat(clients.admin()).doesNotContainKey("compression.type");
    }

    @Test
    void securitySslAndSaslReachEveryClient() {
        KafkaClients clients = clients(Map.of(
                "switchboard.kafka.security.protocol", "SASL_SSL",
                "switchboard.kafka.ssl.truststore.location", "/etc/kafka/truststore.jks",
                "switchboard.kafka.sasl.mechanism", "SCRAM-SHA-512",
                "switchboard.kafka.sasl.username", "alice",
                "switchboard.kafka.sasl.password", "s3cret"));

        List<Map<String, Object>> all = List.of(clients.producer(), clients.consumer("billing", 16), clients.admin());

        assertThat(all).allSatisfy(config -> assertThat(config)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.jks")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .hasEntrySatisfying("sasl.jaas.config", jaas -> assertThat((String) jaas)
                        .contains("ScramLoginModule", "username=\"alice\"", "password=\"s3cret\"")));
    }

    @Test
    void theConsumerJoinsTheGroupCommitsExplicitlyAndIsBoundedByTheConnectTimeout() {
        KafkaClients clients = clients(Map.of());

        Map<String, Object> consumer = clients.consumer("billing", 32);

        assertThat(consumer).containsEntry("group.id", "billing").containsEntry("enable.auto.commit", false)
                .containsEntry("auto.offset.reset", "earliest").containsEntry("max.poll.records", 32)
                .containsEntry("default.api.timeout.ms", 7000);
        assertThat(clients.admin()).containsEntry("default.api.timeout.ms", 7000).containsEntry("request.timeout.ms", 7000);
    }

    private static KafkaClients clients(Map<String, String> values) {
        KafkaOptions options = KafkaOptions.from(SwitchboardConfig.of(new HashMap<>(values)), "billing");
        return new KafkaClients(options, CONNECT_TIMEOUT);
    }
}
