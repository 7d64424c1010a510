package dev.switchboard.examples.checkout;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * Deletes what a test run of the checkout left on a shared RabbitMQ: every group's queue and dead-letter queue
 * ({@code <topic>.<group>}, {@code <topic>.<group>.dlq}, as the RabbitMQ adapter names them) and the topics'
 * exchanges. Each queue holds file handles of the broker, and a broker out of them stops accepting connections.
 */
final class RabbitMqCleanup {
    private RabbitMqCleanup() {
    }

    static void deleteNamespace(String uri, String namespace) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(uri);
        if (factory.getVirtualHost().isEmpty()) { // amqp://host:port/ names the default virtual host, as in the adapter
            factory.setVirtualHost("/");
        }
        try (Connection connection = factory.newConnection("checkout-test-cleanup");
             Channel channel = connection.createChannel()) {
            for (var topic : CheckoutRun.groups(new Topics(namespace)).entrySet()) {
                for (String group : topic.getValue()) {
                    channel.queueDelete(topic.getKey() + "." + group);
                    channel.queueDelete(topic.getKey() + "." + group + ".dlq");
                }
                channel.exchangeDelete(topic.getKey());
            }
        }
    }
}
