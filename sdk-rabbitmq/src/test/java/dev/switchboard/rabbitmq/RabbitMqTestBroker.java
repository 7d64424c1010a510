package dev.switchboard.rabbitmq;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.switchboard.rabbitmq.internal.RetryQueueNames;
import dev.switchboard.testkit.BrokerFixture;
import dev.switchboard.testkit.BrokerFixture.Broker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The RabbitMQ broker of this test run: its endpoint, the properties that select it, and fault injection
 * through the project's scripts (when the tests run in the repository, as in CI).
 */
final class RabbitMqTestBroker {
    private RabbitMqTestBroker() {
    }

    static String uri() {
        return BrokerFixture.endpoint(Broker.RABBITMQ);
    }

    static Map<String, String> properties(Map<String, String> overrides) {
        Map<String, String> properties = new HashMap<>();
        properties.put("switchboard.broker", "rabbitmq");
        properties.put("switchboard.rabbitmq.uri", uri());
        properties.putAll(overrides);
        return properties;
    }

    /**
     * A setting of the broker's TLS listener from the environment, such as {@code TEST_RABBITMQ_TLS_URI}
     * ({@code scripts/start-rabbitmq.sh} prints them); skips the test when it is absent, or fails it when
     * {@code TEST_REQUIRE_BROKERS=true}.
     */
    static String tlsSetting(String variable) {
        String value = System.getenv(variable);
        if (value != null && !value.isBlank()) {
            return value.trim();
        }
        String why = "no RabbitMQ TLS listener for this test: set " + variable
                + " (scripts/start-rabbitmq.sh prints TEST_RABBITMQ_TLS_* settings for the local node)";
        if (Boolean.parseBoolean(System.getenv(BrokerFixture.REQUIRE_BROKERS))) {
            throw new AssertionError(why + " [" + BrokerFixture.REQUIRE_BROKERS + "=true]");
        }
        Assumptions.abort(why);
        throw new IllegalStateException("unreachable");
    }

    /**
     * A plain amqp-client factory for the same broker, for the native side of a test. amqp-client reads the
     * path {@code /} of a URI as the virtual host {@code ""}, so the virtual host is set again.
     */
    static ConnectionFactory nativeConnectionFactory() {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(uri());
        } catch (java.net.URISyntaxException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("unusable RabbitMQ test URI " + uri(), e);
        }
        String path = java.net.URI.create(uri()).getRawPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            factory.setVirtualHost("/");
        }
        factory.setAutomaticRecoveryEnabled(false);
        return factory;
    }

    /**
     * Deletes what a test declared (an exchange and queues) on the configured broker, ignoring what does not
     * exist; does nothing without a configured broker (a container is thrown away whole).
     */
    static void deleteQuietly(String exchange, String... queues) {
        if (BrokerFixture.configured(Broker.RABBITMQ).isEmpty()) {
            return;
        }
        try (Connection connection = nativeConnectionFactory().newConnection("switchboard-test-cleanup")) {
            for (String queue : queues) {
                try (Channel channel = connection.createChannel()) {
                    channel.queueDelete(queue);
                } catch (IOException | RuntimeException | java.util.concurrent.TimeoutException e) {
                    // absent already
                }
            }
            try (Channel channel = connection.createChannel()) {
                channel.exchangeDelete(exchange);
            } catch (IOException | RuntimeException | java.util.concurrent.TimeoutException e) {
                // absent already
            }
        } catch (IOException | java.util.concurrent.TimeoutException e) {
            // cleanup only: the broker went away, nothing left to delete
        }
    }

    /**
     * Deletes every exchange, group queue, dead-letter queue and retry queue the topics and groups of a test
     * can have: quorum queues are Raft clusters, and hundreds left over from earlier runs weigh on a small node.
     */
    static void cleanUp(Set<String> topics, Set<String> groups) {
        for (String topic : topics) {
            List<String> queues = new ArrayList<>();
            for (String group : groups) {
                String queue = topic + "." + group;
                queues.add(queue);
                queues.add(queue + ".dlq");
                queues.addAll(RetryQueueNames.of(queue));
            }
            deleteQuietly(topic, queues.toArray(String[]::new));
        }
    }

    static boolean canInjectFaults() {
        String dir = System.getProperty("test.scripts.dir");
        return dir != null && Files.isRegularFile(Path.of(dir, "rabbitmq-fault.sh"))
                && BrokerFixture.configured(Broker.RABBITMQ).orElse("").contains("@127.0.0.1:5672");
    }

    /**
     * Runs {@code scripts/rabbitmq-fault.sh <action>}: close-connections, restart-app, restart-node, stop-app or
     * start-app.
     */
    static void fault(String action) {
        Path script = Path.of(System.getProperty("test.scripts.dir"), "rabbitmq-fault.sh");
        try {
            Process process = new ProcessBuilder("bash", script.toString(), action).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("rabbitmq-fault.sh " + action + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during rabbitmq-fault.sh " + action, e);
        }
    }
}
