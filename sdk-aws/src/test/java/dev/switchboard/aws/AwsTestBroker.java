package dev.switchboard.aws;

import dev.switchboard.testkit.BrokerFixture;
import dev.switchboard.testkit.BrokerFixture.Broker;
import java.util.HashMap;
import java.util.Map;

/** The SNS/SQS endpoint of this test run (the local emulator in CI) and the properties that select it. */
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

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
