package dev.switchboard.jdbc;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.switchboard.testkit.BrokerFixture;
import dev.switchboard.testkit.BrokerFixture.Broker;
import dev.switchboard.testkit.scale.ProjectScripts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The outbox contract on RabbitMQ ({@code TEST_RABBITMQ_URI}); the outage case stops the local node's application
 * with {@code scripts/rabbitmq-fault.sh stop-app} and starts it with {@code start-app}.
 */
class RabbitMqOutboxRelayTest extends OutboxRelayContract {
    @Override
    protected Map<String, String> brokerProperties() {
        return Map.of("switchboard.broker", "rabbitmq", "switchboard.rabbitmq.uri", BrokerFixture.endpoint(Broker.RABBITMQ));
    }

    /** Over the adapter's limit of 16 MiB. */
    @Override
    protected int oversizeBytes() {
        return 16 * 1024 * 1024 + 1;
    }

    @Override
    protected void assumeBrokerCanStop() {
        String scripts = System.getProperty("test.scripts.dir");
        Assumptions.assumeTrue(scripts != null && Files.isRegularFile(Path.of(scripts, "rabbitmq-fault.sh"))
                        && BrokerFixture.configured(Broker.RABBITMQ).orElse("").contains("@127.0.0.1:5672"),
                "the local RabbitMQ of scripts/start-rabbitmq.sh is not the broker of this run");
    }

    @Override
    protected void stopBroker() {
        ProjectScripts.run("rabbitmq-fault.sh", "stop-app");
    }

    @Override
    protected void startBroker() {
        ProjectScripts.run("rabbitmq-fault.sh", "start-app");
    }

    /** Quorum queues left behind weigh on a small node: the test's exchange and queues go. */
    @Override
    protected void cleanUp(String topic) {
        if (BrokerFixture.configured(Broker.RABBITMQ).isEmpty()) {
            return;
        }
        try {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setUri(BrokerFixture.endpoint(Broker.RABBITMQ));
            factory.setVirtualHost("/");
            try (Connection connection = factory.newConnection("outbox-test-cleanup")) {
                for (String queue : new String[] {topic + ".outbox-test", topic + ".outbox-test.dlq"}) {
                    try (Channel channel = connection.createChannel()) {
                        channel.queueDelete(queue);
                    }
                }
                try (Channel channel = connection.createChannel()) {
                    channel.exchangeDelete(topic);
                }
            }
        } catch (Exception e) {
            System.err.println("cleaning up " + topic + " on RabbitMQ: " + e);
        }
    }
}
