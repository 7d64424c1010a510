package dev.switchboard.kafka;

import dev.switchboard.testkit.BrokerFixture;
import dev.switchboard.testkit.BrokerFixture.Broker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Kafka broker of this test run: its endpoint, the properties that select it, and a stop and a start
 * through the project's scripts (when the tests run in the repository, as in CI).
 */
final class KafkaTestBroker {
    private KafkaTestBroker() {
    }

    static String bootstrapServers() {
        return BrokerFixture.endpoint(Broker.KAFKA);
    }

    static Map<String, String> properties(Map<String, String> overrides) {
        Map<String, String> properties = new HashMap<>();
        properties.put("switchboard.broker", "kafka");
        properties.put("switchboard.kafka.bootstrap-servers", bootstrapServers());
        properties.putAll(overrides);
        return properties;
    }

    /** The project's scripts folder, if the tests run inside the repository. */
    static Path scripts() {
        String dir = System.getProperty("test.scripts.dir");
        return dir == null ? null : Path.of(dir);
    }

    static boolean canStopAndStart() {
        Path scripts = scripts();
        return scripts != null && Files.isRegularFile(scripts.resolve("stop-kafka.sh"))
                && BrokerFixture.configured(Broker.KAFKA).orElse("").contains("127.0.0.1:9092");
    }

    /** Stops the local broker (controlled shutdown); returns once its process is gone and clients are refused. */
    static void stop() {
        run("stop-kafka.sh");
    }

    /** Starts the local broker (with the data it had); returns once it accepts clients. */
    static void start() {
        run("start-kafka.sh");
    }

    private static void run(String script) {
        try {
            Process process = new ProcessBuilder("bash", scripts().resolve(script).toString())
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(Duration.ofMinutes(2).toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(script + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + script, e);
        }
    }
}
