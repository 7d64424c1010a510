package dev.switchboard.examples.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.BrokerFixture;
import dev.switchboard.testkit.BrokerFixture.Broker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The checkout example, the same compiled services, on every provider: every order reaches a final state,
 * and only the malformed one ends in the dead letter.
 */
class CheckoutFlowTest {
    private static final int ORDERS = 300;

    @Test
    void runsOnTheInMemoryBroker() throws Exception {
        assertEveryOrderFinished(Map.of("switchboard.broker", "in-memory",
                "switchboard.in-memory.instance", "checkout-" + UUID.randomUUID()));
    }

    @Test
    void runsOnKafka() throws Exception {
        assertEveryOrderFinished(Map.of("switchboard.broker", "kafka",
                "switchboard.kafka.bootstrap-servers", BrokerFixture.endpoint(Broker.KAFKA)));
    }

    @Test
    void runsOnRabbitMq() throws Exception {
        assertEveryOrderFinished(Map.of("switchboard.broker", "rabbitmq",
                "switchboard.rabbitmq.uri", BrokerFixture.endpoint(Broker.RABBITMQ)));
    }

    @Test
    void runsOnSnsSqs() throws Exception {
        assertEveryOrderFinished(Map.of("switchboard.broker", "sns-sqs",
                "switchboard.sns-sqs.endpoint", BrokerFixture.endpoint(Broker.SNS_SQS),
                "switchboard.sns-sqs.region", "us-east-1",
                "switchboard.sns-sqs.access-key-id", "test",
                "switchboard.sns-sqs.secret-access-key", "test",
                "switchboard.sns-sqs.sqs.wait-time", "2s"));
    }

    private static void assertEveryOrderFinished(Map<String, String> broker) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        String namespace = "checkout-test-" + UUID.randomUUID().toString().substring(0, 8);
        CheckoutApp.Options options = new CheckoutApp.Options(ORDERS, "all", namespace, Duration.ofMinutes(3), broker);

        CheckoutRun.Summary summary = CheckoutApp.run(options, new PrintStream(console, true, StandardCharsets.UTF_8));

        String output = console.toString(StandardCharsets.UTF_8);
        assertThat(summary.lost()).as("orders that never reached a final state; output:%n%s", output).isZero();
        assertThat(summary.placed()).isEqualTo(ORDERS)
                .isEqualTo(summary.shipped() + summary.cancelled() + summary.deadLettered());
        assertThat(summary.deadLettered()).as("only the malformed order is dead-lettered").isEqualTo(1);
        assertThat(summary.shipped()).isPositive();
        assertThat(summary.cancelled()).isPositive();
        assertThat(output).contains("dead letter:").contains("reason undecodable").contains("transient gateway timeouts");
        assertThat(summary.line()).matches("checkout: placed=300 shipped=\\d+ cancelled=\\d+ dead-lettered=1 lost=0");
    }
}
