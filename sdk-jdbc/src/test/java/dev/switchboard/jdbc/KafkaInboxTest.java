package dev.switchboard.jdbc;

import dev.switchboard.testkit.BrokerFixture;
import dev.switchboard.testkit.BrokerFixture.Broker;
import java.util.Map;

/** The inbox end to end on a real Kafka broker ({@code TEST_KAFKA_BOOTSTRAP_SERVERS}). */
class KafkaInboxTest extends InboxOverBrokerContract {
    @Override
    protected Map<String, String> properties(String run) {
        return Map.of("switchboard.broker", "kafka",
                "switchboard.kafka.bootstrap-servers", BrokerFixture.endpoint(Broker.KAFKA));
    }

    @Override
    protected void cleanUp(String run, String topic, String group) {
        // topics of a few events each, with unique names; the test broker's retention removes them
    }
}
