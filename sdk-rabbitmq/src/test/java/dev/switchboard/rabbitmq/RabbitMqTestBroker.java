package dev.switchboard.rabbitmq;

import dev.switchboard.testkit.BrokerFixture;
import dev.switchboard.testkit.BrokerFixture.Broker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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

    static boolean canInjectFaults() {
        String dir = System.getProperty("test.scripts.dir");
        return dir != null && Files.isRegularFile(Path.of(dir, "rabbitmq-fault.sh"))
                && BrokerFixture.configured(Broker.RABBITMQ).orElse("").contains("@127.0.0.1:5672");
    }

    /** Runs {@code scripts/rabbitmq-fault.sh <action>}: close-connections, restart-app or restart-node. */
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
