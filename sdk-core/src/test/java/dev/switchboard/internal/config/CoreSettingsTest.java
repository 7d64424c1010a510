package dev.switchboard.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ConfigurationException;
import dev.switchboard.Provisioning;
import dev.switchboard.SwitchboardConfig;
import dev.switchboard.SwitchboardProperties;
import dev.switchboard.UnknownTypePolicy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CoreSettingsTest {

    @Test
    void defaults() {
        CoreSettings settings = CoreSettings.from(SwitchboardConfig.of(Map.of()));

        assertThat(settings.serviceName()).isEqualTo("switchboard-service");
        assertThat(settings.source()).isEqualTo("/switchboard-service");
        assertThat(settings.provisioning()).isEqualTo(Provisioning.CREATE);
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.publishTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.concurrency()).isEqualTo(1);
        assertThat(settings.prefetch()).isEqualTo(16);
        assertThat(settings.pollTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(settings.unknownTypes()).isEqualTo(UnknownTypePolicy.SKIP);
        assertThat(settings.deadLetterPattern()).isEqualTo("{topic}.{group}.dlq");
        assertThat(settings.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.retryPolicy().maxAttempts()).isEqualTo(5);
        assertThat(settings.retryPolicy().initialBackoff()).isEqualTo(Duration.ofMillis(200));
        assertThat(settings.retryPolicy().maxBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.retryPolicy().multiplier()).isEqualTo(2.0);
        assertThat(settings.retryPolicy().jitter()).isEqualTo(0.2);
    }

    @Test
    void explicitValuesAreParsed() {
        CoreSettings settings = CoreSettings.from(SwitchboardConfig.of(Map.ofEntries(
                Map.entry(SwitchboardProperties.SERVICE_NAME, "billing"),
                Map.entry(SwitchboardProperties.PROVISIONING, "validate"),
                Map.entry(SwitchboardProperties.CONNECT_TIMEOUT, "2s"),
                Map.entry(SwitchboardProperties.CONCURRENCY, "8"),
                Map.entry(SwitchboardProperties.UNKNOWN_TYPES, "dead-letter"),
                Map.entry(SwitchboardProperties.RETRY_MAX_ATTEMPTS, "3"),
                Map.entry(SwitchboardProperties.RETRY_INITIAL_BACKOFF, "50ms"),
                Map.entry(SwitchboardProperties.RETRY_MAX_BACKOFF, "1s"),
                Map.entry(SwitchboardProperties.RETRY_MULTIPLIER, "3"),
                Map.entry(SwitchboardProperties.RETRY_JITTER, "0"),
                Map.entry(SwitchboardProperties.DEAD_LETTER_DESTINATION, "dlq-{group}-{topic}"))));

        assertThat(settings.serviceName()).isEqualTo("billing");
        assertThat(settings.source()).isEqualTo("/billing");
        assertThat(settings.provisioning()).isEqualTo(Provisioning.VALIDATE);
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.concurrency()).isEqualTo(8);
        assertThat(settings.unknownTypes()).isEqualTo(UnknownTypePolicy.DEAD_LETTER);
        assertThat(settings.retryPolicy().maxAttempts()).isEqualTo(3);
        assertThat(settings.retryPolicy().backoff(1)).isEqualTo(Duration.ofMillis(50));
        assertThat(settings.retryPolicy().backoff(2)).isEqualTo(Duration.ofMillis(150));
        assertThat(settings.retryPolicy().backoff(5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.deadLetterDestination("orders", "billing")).isEqualTo("dlq-billing-orders");
    }

    @Test
    void explicitSourceWins() {
        CoreSettings settings = CoreSettings.from(SwitchboardConfig.of(Map.of(
                SwitchboardProperties.SERVICE_NAME, "billing", SwitchboardProperties.SOURCE, "urn:shop:billing")));

        assertThat(settings.source()).isEqualTo("urn:shop:billing");
    }

    @Test
    void defaultDeadLetterDestination() {
        CoreSettings settings = CoreSettings.from(SwitchboardConfig.of(Map.of()));

        assertThat(settings.deadLetterDestination("orders", "billing")).isEqualTo("orders.billing.dlq");
    }

    @Test
    void deadLetterPatternWithoutGroupFailsNamingTheKey() {
        SwitchboardConfig config = SwitchboardConfig.of(
                Map.of(SwitchboardProperties.DEAD_LETTER_DESTINATION, "{topic}.dlq"));

        assertThatThrownBy(() -> CoreSettings.from(config))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("switchboard.dead-letter.destination")
                .hasMessageContaining("{topic} and {group}")
                .hasMessageContaining("\"{topic}.dlq\"")
                .satisfies(e -> assertThat(((ConfigurationException) e).key())
                        .isEqualTo("switchboard.dead-letter.destination"));
    }

    @Test
    void deadLetterPatternWithoutTopicFails() {
        SwitchboardConfig config = SwitchboardConfig.of(
                Map.of(SwitchboardProperties.DEAD_LETTER_DESTINATION, "dlq.{group}"));

        assertThatThrownBy(() -> CoreSettings.from(config))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("switchboard.dead-letter.destination");
    }

    @Test
    void badSourceFailsNamingTheKey() {
        SwitchboardConfig config = SwitchboardConfig.of(Map.of(SwitchboardProperties.SOURCE, "ht tp://x y"));

        assertThatThrownBy(() -> CoreSettings.from(config))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("switchboard.source must be a URI reference, was \"ht tp://x y\"")
                .satisfies(e -> assertThat(((ConfigurationException) e).key()).isEqualTo("switchboard.source"));
    }

    @Test
    void serviceNameThatMakesABadDefaultSourceFails() {
        SwitchboardConfig config = SwitchboardConfig.of(Map.of(SwitchboardProperties.SERVICE_NAME, "my service"));

        assertThatThrownBy(() -> CoreSettings.from(config))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("switchboard.source");
    }

    @Test
    void retryMaxAttemptsBelowOneFailsNamingTheKey() {
        SwitchboardConfig config = SwitchboardConfig.of(Map.of(SwitchboardProperties.RETRY_MAX_ATTEMPTS, "0"));

        assertThatThrownBy(() -> CoreSettings.from(config))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("switchboard.retry.max-attempts must be >= 1, was 0");
    }

    @Test
    void invalidRetryJitterFailsAsConfigurationError() {
        SwitchboardConfig config = SwitchboardConfig.of(Map.of(SwitchboardProperties.RETRY_JITTER, "1.5"));

        assertThatThrownBy(() -> CoreSettings.from(config))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("switchboard.retry")
                .hasMessageContaining("jitter must be between 0.0 and 1.0, was 1.5");
    }

    @Test
    void zeroConcurrencyFailsNamingTheKey() {
        SwitchboardConfig config = SwitchboardConfig.of(Map.of(SwitchboardProperties.CONCURRENCY, "0"));

        assertThatThrownBy(() -> CoreSettings.from(config))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("switchboard.consumer.concurrency must be >= 1");
    }

    @Test
    void badProvisioningListsChoices() {
        SwitchboardConfig config = SwitchboardConfig.of(Map.of(SwitchboardProperties.PROVISIONING, "maybe"));

        assertThatThrownBy(() -> CoreSettings.from(config))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("switchboard.provisioning must be one of create, validate, none");
    }
}
