package dev.switchboard.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ConfigurationException;
import dev.switchboard.SwitchboardConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link KafkaOptions#from}: pass-through, SASL credentials, validation and redaction; no broker. */
class KafkaOptionsTest {

    @Test
    void defaultsNeedNoConfiguration() {
        KafkaOptions options = options(Map.of());

        assertThat(options.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(options.clientId()).isEqualTo("billing");
        assertThat(options.partitions()).isEqualTo(3);
        assertThat(options.replicationFactor()).isEmpty();
        assertThat(options.common()).isEmpty();
        assertThat(options.timeInRecordTimestamp()).isFalse();
    }

    @Test
    void theEventTimeTravelsInAHeaderOrTheRecordTimestampAndNothingElse() {
        assertThat(options(Map.of("switchboard.kafka.event-time", "record-timestamp")).timeInRecordTimestamp()).isTrue();
        assertThat(options(Map.of("switchboard.kafka.event-time", "header")).timeInRecordTimestamp()).isFalse();
        assertThat(options(Map.of("switchboard.kafka.event-time", "record-timestamp")).toString())
                .contains("eventTime=record-timestamp");

        assertThatThrownBy(() -> options(Map.of("switchboard.kafka.event-time", "timestamp")))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.key())
                        .isEqualTo("switchboard.kafka.event-time"))
                .hasMessageContaining("header or record-timestamp").hasMessageContaining("\"timestamp\"");
    }

    @Test
    void propertiesPassThroughToTheCommonClientConfiguration() {
        KafkaOptions options = options(Map.of(
                "switchboard.kafka.properties.metadata.max.age.ms", "1000",
                "switchboard.kafka.properties.reconnect.backoff.ms", "75"));

        assertThat(options.common()).containsEntry("metadata.max.age.ms", "1000").containsEntry("reconnect.backoff.ms", "75");
        assertThat(options.producer()).isEmpty();
        assertThat(options.consumer()).isEmpty();
        assertThat(options.admin()).isEmpty();
    }

    @Test
    void roleSpecificPropertiesStayWithTheirClient() {
        KafkaOptions options = options(Map.of(
                "switchboard.kafka.producer.linger.ms", "50",
                "switchboard.kafka.consumer.fetch.min.bytes", "1024",
                "switchboard.kafka.admin.retries", "3"));

        assertThat(options.producer()).containsOnly(Map.entry("linger.ms", "50"));
        assertThat(options.consumer()).containsOnly(Map.entry("fetch.min.bytes", "1024"));
        assertThat(options.admin()).containsOnly(Map.entry("retries", "3"));
        assertThat(options.common()).isEmpty();
    }

    @Test
    void securitySslAndSaslKeysGoToEveryClient() {
        KafkaOptions options = options(Map.of(
                "switchboard.kafka.security.protocol", "SASL_SSL",
                "switchboard.kafka.ssl.truststore.location", "/etc/kafka/truststore.jks",
                "switchboard.kafka.ssl.truststore.password", "trust-me",
                "switchboard.kafka.sasl.mechanism", "SCRAM-SHA-512",
                "switchboard.kafka.sasl.jaas.config", scram("alice", "s3cret")));

        assertThat(options.common()).containsOnly(
                Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("ssl.truststore.location", "/etc/kafka/truststore.jks"),
                Map.entry("ssl.truststore.password", "trust-me"),
                Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
                Map.entry("sasl.jaas.config", scram("alice", "s3cret")));
    }

    @Test
    void usernameAndPasswordBuildAScramJaasConfig() {
        KafkaOptions options = options(Map.of(
                "switchboard.kafka.sasl.username", "alice",
                "switchboard.kafka.sasl.password", "s3cret"));

        assertThat(options.common()).containsEntry("sasl.mechanism", "SCRAM-SHA-256")
                .containsEntry("security.protocol", "SASL_PLAINTEXT")
                .doesNotContainKeys("sasl.username", "sasl.password");
        AppConfigurationEntry login = loginOf(options);
        assertThat(login.getLoginModuleName()).isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule");
        assertThat(optionsOf(login)).containsEntry("username", "alice").containsEntry("password", "s3cret");
    }

    @Test
    void usernameAndPasswordKeepAnExplicitMechanismAndProtocol() {
        KafkaOptions options = options(Map.of(
                "switchboard.kafka.security.protocol", "SASL_SSL",
                "switchboard.kafka.sasl.mechanism", "SCRAM-SHA-512",
                "switchboard.kafka.sasl.username", "alice",
                "switchboard.kafka.sasl.password", "s3cret"));

        assertThat(options.common()).containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("security.protocol", "SASL_SSL");
        assertThat(loginOf(options).getLoginModuleName()).isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule");
    }

    @Test
    void usernameAndPasswordWithPlainBuildAPlainJaasConfig() {
        KafkaOptions options = options(Map.of(
                "switchboard.kafka.sasl.mechanism", "PLAIN",
                "switchboard.kafka.sasl.username", "alice",
                "switchboard.kafka.sasl.password", "s3cret"));

        AppConfigurationEntry login = loginOf(options);
        assertThat(login.getLoginModuleName()).isEqualTo("org.apache.kafka.common.security.plain.PlainLoginModule");
        assertThat(optionsOf(login)).containsEntry("username", "alice").containsEntry("password", "s3cret");
    }

    @Test
    void quotesAndBackslashesInCredentialsSurviveTheJaasConfig() {
        String password = "p\"a\\ss;word";
        KafkaOptions options = options(Map.of(
                "switchboard.kafka.sasl.username", "al\"ice",
                "switchboard.kafka.sasl.password", password));

        assertThat(optionsOf(loginOf(options))).containsEntry("username", "al\"ice").containsEntry("password", password);
    }

    @Test
    void anUnsupportedMechanismWithUsernameAndPasswordFailsNamingTheKey() {
        Map<String, String> config = Map.of(
                "switchboard.kafka.sasl.mechanism", "GSSAPI",
                "switchboard.kafka.sasl.username", "alice",
                "switchboard.kafka.sasl.password", "s3cret");

        assertThatThrownBy(() -> options(config))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.key()).isEqualTo("switchboard.kafka.sasl.username"))
                .hasMessageContaining("GSSAPI")
                .hasMessageContaining("switchboard.kafka.sasl.jaas.config")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void aUsernameWithoutPasswordFailsNamingThePassword() {
        Map<String, String> config = Map.of("switchboard.kafka.sasl.username", "alice");

        assertThatThrownBy(() -> options(config))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.key()).isEqualTo("switchboard.kafka.sasl.password"))
                .hasMessageContaining("switchboard.kafka.sasl.password");
    }

    @Test
    void aPasswordWithoutUsernameFailsNamingTheUsername() {
        Map<String, String> config = Map.of("switchboard.kafka.sasl.password", "s3cret");

        assertThatThrownBy(() -> options(config))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.key()).isEqualTo("switchboard.kafka.sasl.username"))
                .hasMessageContaining("switchboard.kafka.sasl.username")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void usernameAndPasswordTogetherWithAJaasConfigFail() {
        Map<String, String> config = Map.of(
                "switchboard.kafka.sasl.username", "alice",
                "switchboard.kafka.sasl.password", "s3cret",
                "switchboard.kafka.sasl.jaas.config", scram("bob", "bob-secret"));

        assertThatThrownBy(() -> options(config))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("switchboard.kafka.sasl.jaas.config")
                .hasMessageContaining("switchboard.kafka.sasl.username")
                .hasMessageNotContaining("s3cret")
                .hasMessageNotContaining("bob-secret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "localhost:", ":9092", "localhost:9092,", "a:1, b:2", "localhost:port", " "})
    void aMalformedBootstrapServersFailsNamingTheKey(String bootstrap) {
        Map<String, String> config = Map.of("switchboard.kafka.bootstrap-servers", bootstrap);

        assertThatThrownBy(() -> options(config))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.key()).isEqualTo("switchboard.kafka.bootstrap-servers"))
                .hasMessageContaining("switchboard.kafka.bootstrap-servers")
                .hasMessageContaining("host:port");
    }

    @Test
    void severalBootstrapServersAreAccepted() {
        KafkaOptions options = options(Map.of("switchboard.kafka.bootstrap-servers", " k1.example:9092,10.0.0.2:9093 "));

        assertThat(options.bootstrapServers()).isEqualTo("k1.example:9092,10.0.0.2:9093");
    }

    @Test
    void toStringRedactsJaasConfigTruststorePasswordAndSaslPassword() {
        KafkaOptions fromJaas = options(Map.of(
                "switchboard.kafka.sasl.jaas.config", scram("alice", "jaas-secret"),
                "switchboard.kafka.ssl.truststore.password", "trust-secret",
                "switchboard.kafka.ssl.keystore.location", "/etc/kafka/keystore.jks",
                "switchboard.kafka.producer.sasl.jaas.config", scram("alice", "producer-secret")));
        KafkaOptions fromCredentials = options(Map.of(
                "switchboard.kafka.sasl.username", "alice",
                "switchboard.kafka.sasl.password", "password-secret"));

        String shown = fromJaas.toString();
        String shownCredentials = fromCredentials.toString();

        assertThat(shown).doesNotContain("jaas-secret", "trust-secret", "producer-secret")
                .contains("sasl.jaas.config=******", "ssl.truststore.password=******",
                        "ssl.keystore.location=/etc/kafka/keystore.jks");
        assertThat(shownCredentials).doesNotContain("password-secret").contains("sasl.jaas.config=******");
    }

    /** The names Kafka's own clients type as passwords, and so hide in their logs. */
    static Stream<String> kafkaPasswordNames() {
        return Stream.of(ProducerConfig.configDef(), ConsumerConfig.configDef(), AdminClientConfig.configDef())
                .flatMap(definition -> definition.configKeys().values().stream())
                .filter(key -> key.type == ConfigDef.Type.PASSWORD)
                .map(key -> key.name)
                .distinct();
    }

    @ParameterizedTest
    @MethodSource("kafkaPasswordNames")
    void whatKafkaTypesAsAPasswordIsRedactedUnderEveryPassThroughPrefix(String name) {
        Map<String, String> values = new HashMap<>();
        for (String prefix : List.of(KafkaOptions.PREFIX, KafkaOptions.PROPERTIES_PREFIX, KafkaOptions.PRODUCER_PREFIX,
                KafkaOptions.CONSUMER_PREFIX, KafkaOptions.ADMIN_PREFIX)) {
            values.put(prefix + name, "hidden-under-" + prefix);
        }
        SwitchboardConfig config = SwitchboardConfig.of(values);

        KafkaOptions options = KafkaOptions.from(config, "billing");

        assertThat(options.common()).containsKey(name);
        assertThat(options.producer()).containsKey(name);
        assertThat(options.toString()).doesNotContain("hidden-").contains(name + "=******");
        assertThat(config.toString()).doesNotContain("hidden-");
    }

    @Test
    void aUriPasswordInTheBootstrapServersIsMaskedInToStringAndErrors() {
        KafkaOptions options = options(Map.of("switchboard.kafka.bootstrap-servers", "SASL_SSL://u:pw-secret@k1:9092"));
        Map<String, String> malformed = Map.of("switchboard.kafka.bootstrap-servers", "SASL_SSL://u:pw-secret@k1");

        assertThat(options.toString()).doesNotContain("pw-secret").contains("SASL_SSL://u:******@k1:9092");
        assertThatThrownBy(() -> options(malformed))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageNotContaining("pw-secret");
    }

    private static KafkaOptions options(Map<String, String> values) {
        return KafkaOptions.from(SwitchboardConfig.of(new HashMap<>(values)), "billing");
    }

    private static String scram(String username, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + username
                + "\" password=\"" + password + "\";";
    }

    /** The one login module of the options' JAAS config, parsed by Kafka's own parser. */
    private static AppConfigurationEntry loginOf(KafkaOptions options) {
        String jaas = options.common().get("sasl.jaas.config");
        assertThat(jaas).as("sasl.jaas.config").isNotNull();
        List<AppConfigurationEntry> entries = JaasContext.loadClientContext(Map.of("sasl.jaas.config", new Password(jaas)))
                .configurationEntries();
        assertThat(entries).hasSize(1);
        return entries.get(0);
    }

    private static Map<String, Object> optionsOf(AppConfigurationEntry login) {
        return new HashMap<>(login.getOptions());
    }
}
