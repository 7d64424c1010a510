package dev.switchboard.aws;

import dev.switchboard.testkit.BrokerFixture;
import dev.switchboard.testkit.BrokerFixture.Broker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The SNS/SQS endpoint of this test run (the local emulator in CI), the properties that select it, and fault
 * injection through the project's scripts (when the tests run in the repository, as in CI).
 */
final class AwsTestBroker {
    private AwsTestBroker() {
    }

    static String endpoint() {
        return BrokerFixture.endpoint(Broker.SNS_SQS);
    }

    /**
     * Properties for the emulator; long polls of 2 s keep closing subscriptions quick in tests (production
     * keeps the 20 s default).
     */
    static Map<String, String> properties(Map<String, String> overrides) {
        Map<String, String> properties = new HashMap<>();
        properties.put("switchboard.broker", "sns-sqs");
        properties.put("switchboard.sns-sqs.endpoint", endpoint());
        properties.put("switchboard.sns-sqs.region", env("TEST_AWS_REGION", "us-east-1"));
        properties.put("switchboard.sns-sqs.access-key-id", env("TEST_AWS_ACCESS_KEY_ID", "test"));
        properties.put("switchboard.sns-sqs.secret-access-key", env("TEST_AWS_SECRET_ACCESS_KEY", "test"));
        properties.put("switchboard.sns-sqs.sqs.wait-time", "2s");
        properties.putAll(overrides);
        return properties;
    }

    /** Whether the endpoint is the local emulator that {@code scripts/sns-sqs-fault.sh} can freeze. */
    static boolean canFreeze() {
        String dir = System.getProperty("test.scripts.dir");
        return dir != null && Files.isRegularFile(Path.of(dir, "sns-sqs-fault.sh"))
                && BrokerFixture.configured(Broker.SNS_SQS).orElse("").contains("127.0.0.1:4566");
    }

    /** Runs {@code scripts/sns-sqs-fault.sh <action>}: freeze or thaw. */
    static void fault(String action) {
        Path script = Path.of(System.getProperty("test.scripts.dir"), "sns-sqs-fault.sh");
        try {
            Process process = new ProcessBuilder("bash", script.toString(), action).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(1, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("sns-sqs-fault.sh " + action + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during sns-sqs-fault.sh " + action, e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
