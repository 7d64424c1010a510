package dev.switchboard.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;
import dev.switchboard.SwitchboardConfig;
import dev.switchboard.kafka.KafkaOptions;
import dev.switchboard.spi.DriverContext;
import dev.switchboard.spi.ReceiverSpec;
import dev.switchboard.spi.TopologyDriver;
import dev.switchboard.testkit.BrokerFixture;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** {@link KafkaDriver#topology()}: the provisioning primitives on the real broker, and against a port nothing listens on. */
class KafkaTopologyTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void createsATopicWithTheConfiguredPartitionsAndToleratesItExisting() throws Exception {
        String topic = "topology-" + UUID.randomUUID();
        String broker = BrokerFixture.endpoint(BrokerFixture.Broker.KAFKA);
        try (KafkaDriver driver = driver(broker, TIMEOUT)) {
            TopologyDriver topology = driver.topology();
            Admin admin = driver.unwrap(Admin.class).orElseThrow();

            assertThat(topology.topicExists(topic)).isFalse();
            topology.createTopic(topic);
            topology.createTopic(topic);

            assertThat(topology.topicExists(topic)).isTrue();
            TopicDescription created = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            assertThat(created.partitions()).hasSize(2);
        }
    }

    @Test
    void aSubscriptionReadsItsTopicAndNeedsItsDeadLetterTopic() {
        String topic = "topology-" + UUID.randomUUID();
        ReceiverSpec subscription = new ReceiverSpec(topic, "g", topic + ".g.dlq", ReceiverSpec.Source.SUBSCRIPTION, 1);
        ReceiverSpec deadLetters = new ReceiverSpec(topic, "g", topic + ".g.dlq", ReceiverSpec.Source.DEAD_LETTERS, 1);
        String broker = BrokerFixture.endpoint(BrokerFixture.Broker.KAFKA);
        try (KafkaDriver driver = driver(broker, TIMEOUT)) {
            TopologyDriver topology = driver.topology();

            topology.createTopic(topic);
            boolean withoutDeadLetterTopic = topology.receiverExists(subscription);
            topology.createReceiver(subscription);
            topology.createReceiver(subscription);

            assertThat(withoutDeadLetterTopic).isFalse();
            assertThat(topology.receiverExists(subscription)).isTrue();
            assertThat(topology.receiverExists(deadLetters)).isTrue();
            assertThat(topology.topicExists(topic + ".g.dlq")).isTrue();
        }
    }

    @Test
    void aBrokerThatDoesNotAnswerFailsWithinTheTimeoutAsUnavailableNamingTheServersAndTheSetting() {
        Duration timeout = Duration.ofSeconds(1);
        try (KafkaDriver driver = driver("127.0.0.1:1", timeout)) {
            TopologyDriver topology = driver.topology();
            long start = System.nanoTime();

            Throwable failure = catchThrowable(() -> topology.topicExists("anything"));

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(timeout.plusSeconds(3));
            assertThat(failure).isInstanceOf(TimeoutException.class);
            MessagingException classified = driver.classify(failure);
            assertThat(classified.code()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(classified.isRetryable()).isTrue();
            assertThat(classified.getMessage()).contains("127.0.0.1:1", "switchboard.connect-timeout");
        }
    }

    private static KafkaOptions options(String bootstrapServers) {
        return KafkaOptions.from(SwitchboardConfig.of(new HashMap<>(Map.of(
                "switchboard.kafka.bootstrap-servers", bootstrapServers,
                "switchboard.kafka.topic.partitions", "2"))), "topology-test");
    }

    private static KafkaDriver driver(String bootstrapServers, Duration timeout) {
        return new KafkaDriver(options(bootstrapServers), new DriverContext(SwitchboardConfig.of(Map.of()),
                "topology-test", timeout, null, name -> Thread::new));
    }
}
