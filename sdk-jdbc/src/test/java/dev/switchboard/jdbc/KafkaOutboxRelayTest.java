package dev.switchboard.jdbc;

import dev.switchboard.testkit.BrokerFixture;
import dev.switchboard.testkit.BrokerFixture.Broker;
import dev.switchboard.testkit.scale.ProjectScripts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The outbox contract on Kafka ({@code TEST_KAFKA_BOOTSTRAP_SERVERS}); the outage case stops the local broker with
 * {@code scripts/stop-kafka.sh} and starts it again with {@code scripts/start-kafka.sh}.
 */
class KafkaOutboxRelayTest extends OutboxRelayContract {
    @Override
    protected Map<String, String> brokerProperties() {
        return Map.of("switchboard.broker", "kafka",
                "switchboard.kafka.bootstrap-servers", BrokerFixture.endpoint(Broker.KAFKA));
    }

    /** Over the producer's default {@code max.request.size} of 1 MiB. */
    @Override
    protected int oversizeBytes() {
        return 2 * 1024 * 1024;
    }

    @Override
    protected void assumeBrokerCanStop() {
        String scripts = System.getProperty("test.scripts.dir");
        Assumptions.assumeTrue(scripts != null && Files.isRegularFile(Path.of(scripts, "stop-kafka.sh"))
                        && BrokerFixture.configured(Broker.KAFKA).orElse("").contains("127.0.0.1:9092"),
                "the local Kafka of scripts/start-kafka.sh is not the broker of this run");
    }

    @Override
    protected void stopBroker() {
        ProjectScripts.run("stop-kafka.sh");
    }

    @Override
    protected void startBroker() {
        ProjectScripts.run("start-kafka.sh");
    }
}
