package dev.switchboard.testkit;

import dev.switchboard.inmemory.InMemoryBroker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.ConfigurationException;
import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.Subscription;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * Two providers on the classpath ({@code in-memory} and the test's {@code second}): the same service code
 * runs on either, chosen by {@code switchboard.broker} alone.
 */
class ProviderSelectionTest {
    private final InMemoryBroker inMemory = InMemoryBroker.create();

    @Test
    void switchboardBrokerAloneSelectsTheProvider() throws Exception {
        String topic = "selection-" + UUID.randomUUID();
        Map<String, String> common = Map.of("switchboard.in-memory.instance", inMemory.name());

        String onInMemory = runService(merge(common, "switchboard.broker", "in-memory"), topic);
        String onSecond = runService(merge(common, "switchboard.broker", "second"), topic);

        assertThat(onInMemory).isEqualTo("in-memory");
        assertThat(onSecond).isEqualTo("second");
        assertThat(inMemory.published().onTopic(topic).count()).isEqualTo(1);
        assertThat(SecondBrokerProvider.PUBLISHED_TOPICS).containsOnlyOnce(topic);
    }

    @Test
    void severalProvidersWithoutSwitchboardBrokerFailNamingTheChoices() {
        assertThatThrownBy(() -> Messaging.fromConfig(Map.of("switchboard.service-name", "x")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("switchboard.broker")
                .hasMessageContaining("in-memory")
                .hasMessageContaining("second");
    }

    @Test
    void anUnknownProviderNameFailsNamingTheAvailableOnes() {
        assertThatThrownBy(() -> Messaging.fromConfig(Map.of("switchboard.broker", "kafak")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("switchboard.broker=kafak")
                .hasMessageContaining("[in-memory, second]");
    }

    @Test
    void aMisspelledKeyFailsStartupNamingTheNearestValidKey() {
        assertThatThrownBy(() -> inMemory.connect(Map.of("switchboard.consumer.concurency", "4")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("switchboard.consumer.concurency")
                .hasMessageContaining("did you mean 'switchboard.consumer.concurrency'");
    }

    @Test
    void aMisspelledProviderKeyFailsStartupNamingTheNearestValidKey() {
        assertThatThrownBy(() -> inMemory.connect(Map.of("switchboard.in-memory.fault.sed", "4")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("did you mean 'switchboard.in-memory.fault.seed'");
    }

    @Test
    void aMalformedValueFailsStartupNamingTheKeyAndTheExpectedForm() {
        assertThatThrownBy(() -> inMemory.connect(Map.of("switchboard.publish.timeout", "soon")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("switchboard.publish.timeout must be a non-negative duration")
                .hasMessageContaining("\"soon\"");
    }

    /** The service: identical code whatever the broker. Returns the broker it ran on. */
    private static String runService(Map<String, String> properties, String topic) throws Exception {
        ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
        try (Messaging messaging = Messaging.fromConfig(properties)) {
            messaging.subscribe(Subscription.to(topic).group("svc")
                    .on("test.ping", String.class, (text, ctx) -> received.add(text)));
            messaging.publisher().publishAndWait(topic, EventEnvelope.builder().type("test.ping").data("hello").build());
            await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
            assertThat(received).containsExactly("hello");
            return messaging.brokerName();
        }
    }

    private static Map<String, String> merge(Map<String, String> base, String key, String value) {
        Map<String, String> merged = new HashMap<>(base);
        merged.put(key, value);
        return merged;
    }
}
