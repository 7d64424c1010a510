package dev.switchboard.rabbitmq.internal;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import dev.switchboard.Provisioning;
import dev.switchboard.rabbitmq.RabbitMqOptions;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Declares (or, under {@code VALIDATE}, checks) exchanges and queues, once per name. Each declaration runs
 * on a short-lived channel, because a failed passive declaration closes its channel.
 */
final class Topology {
    private final ConnectionManager connections;
    private final RabbitMqOptions options;
    private final Provisioning provisioning;
    private final Set<String> declared = ConcurrentHashMap.newKeySet();

    Topology(ConnectionManager connections, RabbitMqOptions options, Provisioning provisioning) {
        this.connections = connections;
        this.options = options;
        this.provisioning = provisioning;
    }

    /** The topic's durable topic exchange. */
    void exchange(String topic) {
        once("exchange " + topic, false, channel -> {
            if (provisioning == Provisioning.CREATE) {
                channel.exchangeDeclare(topic, BuiltinExchangeType.TOPIC, true);
            } else {
                channel.exchangeDeclarePassive(topic);
            }
        });
    }

    /** A group's queue, bound to the topic's exchange for every routing key. */
    void groupQueue(String topic, String queue) {
        exchange(topic);
        once("queue " + queue, false, channel -> {
            if (provisioning == Provisioning.CREATE) {
                Map<String, Object> arguments = durableArguments();
                if (options.singleActiveConsumer()) {
                    arguments.put("x-single-active-consumer", true);
                }
                channel.queueDeclare(queue, true, false, false, arguments);
                channel.queueBind(queue, topic, "#");
            } else {
                channel.queueDeclarePassive(queue);
            }
        });
    }

    /** A dead-letter queue. */
    void deadLetterQueue(String queue) {
        once("queue " + queue, false, channel -> {
            if (provisioning == Provisioning.CREATE) {
                channel.queueDeclare(queue, true, false, false, durableArguments());
            } else {
                channel.queueDeclarePassive(queue);
            }
        });
    }

    /**
     * A retry queue: messages wait {@code millis}, then dead-letter back into {@code target}. Always declared,
     * whatever the provisioning policy: it is Switchboard's machinery, not the user's topology.
     */
    void retryQueue(String name, String target, long millis) {
        once("queue " + name, true, channel -> {
            Map<String, Object> arguments = new HashMap<>();
            arguments.put("x-message-ttl", millis);
            arguments.put("x-dead-letter-exchange", "");
            arguments.put("x-dead-letter-routing-key", target);
            channel.queueDeclare(name, true, false, false, arguments);
        });
    }

    private Map<String, Object> durableArguments() {
        Map<String, Object> arguments = new HashMap<>();
        arguments.put("x-queue-type", options.queueType());
        return arguments;
    }

    private void once(String what, boolean whateverThePolicy, Declaration declaration) {
        if (provisioning == Provisioning.NONE && !whateverThePolicy || declared.contains(what)) {
            return;
        }
        Channel channel = connections.openChannel();
        try {
            declaration.run(channel);
            declared.add(what);
        } catch (IOException | RuntimeException e) {
            throw RabbitMqErrors.classify(e);
        } finally {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(Channel channel) {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
            // already closed by a failed declaration
        }
    }

    @FunctionalInterface
    private interface Declaration {
        void run(Channel channel) throws IOException;
    }
}
