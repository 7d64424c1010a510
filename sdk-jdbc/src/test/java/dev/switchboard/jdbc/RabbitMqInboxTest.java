package dev.switchboard.jdbc;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.switchboard.testkit.BrokerFixture;
import dev.switchboard.testkit.BrokerFixture.Broker;
import java.util.List;
import java.util.Map;

/** The inbox end to end on a real RabbitMQ broker ({@code TEST_RABBITMQ_URI}). */
class RabbitMqInboxTest extends InboxOverBrokerContract {
    @Override
    protected Map<String, String> properties(String run) {
        return Map.of("switchboard.broker", "rabbitmq", "switchboard.rabbitmq.uri", BrokerFixture.endpoint(Broker.RABBITMQ));
    }

    /** Deletes the run's exchange, group queue and dead-letter queue: quorum queues left behind weigh on the node. */
    @Override
    protected void cleanUp(String run, String topic, String group) {
        String queue = topic + "." + group;
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(BrokerFixture.endpoint(Broker.RABBITMQ));
            factory.setVirtualHost("/");
            factory.setAutomaticRecoveryEnabled(false);
            try (Connection connection = factory.newConnection("switchboard-jdbc-test-cleanup")) {
                for (String name : List.of(queue, queue + ".dlq")) {
                    try (Channel channel = connection.createChannel()) {
                        channel.queueDelete(name);
                    } catch (Exception e) {
                        // absent: nothing to delete
                    }
                }
                try (Channel channel = connection.createChannel()) {
                    channel.exchangeDelete(topic);
                } catch (Exception e) {
                    // absent: nothing to delete
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot clean up RabbitMQ after " + run, e);
        }
    }
}
