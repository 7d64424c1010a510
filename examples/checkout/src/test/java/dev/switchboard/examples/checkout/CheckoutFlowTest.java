package dev.switchboard.examples.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.BrokerFixture;
import dev.switchboard.testkit.BrokerFixture.Broker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkout example, the same compiled services, on every provider: every order reaches a final state, only the
 * malformed order command ends in the dead letter, and the databases hold each order once and one payment per order
 * (embedded H2; PostgreSQL on the Kafka run).
 */
class CheckoutFlowTest {
    private static final int ORDERS = 300;

    @TempDir
    Path dataDir;

    @Test
    void runsOnTheInMemoryBroker() throws Exception {
        assertEveryOrderFinished(Map.of("switchboard.broker", "in-memory",
                "switchboard.in-memory.instance", "checkout-" + UUID.randomUUID()), Databases.embedded(dataDir));
    }

    @Test
    void runsOnKafkaWithPostgreSql() throws Exception {
        assertEveryOrderFinished(Map.of("switchboard.broker", "kafka",
                "switchboard.kafka.bootstrap-servers", BrokerFixture.endpoint(Broker.KAFKA)), CheckoutLedger.postgres(dataDir));
    }

    @Test
    void runsOnRabbitMq() throws Exception {
        assertEveryOrderFinished(Map.of("switchboard.broker", "rabbitmq",
                "switchboard.rabbitmq.uri", BrokerFixture.endpoint(Broker.RABBITMQ)), Databases.embedded(dataDir));
    }

    @Test
    void runsOnSnsSqs() throws Exception {
        assertEveryOrderFinished(Map.of("switchboard.broker", "sns-sqs",
                "switchboard.sns-sqs.endpoint", BrokerFixture.endpoint(Broker.SNS_SQS),
                "switchboard.sns-sqs.region", "us-east-1",
                "switchboard.sns-sqs.access-key-id", "test",
                "switchboard.sns-sqs.secret-access-key", "test",
                "switchboard.sns-sqs.sqs.wait-time", "2s"), Databases.embedded(dataDir));
    }

    private static void assertEveryOrderFinished(Map<String, String> broker, Databases databases) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        String namespace = "checkout-test-" + UUID.randomUUID().toString().substring(0, 8);
        CheckoutApp.Options options = new CheckoutApp.Options(ORDERS, "all", namespace, Duration.ofMinutes(3), broker,
                databases);
        try {
            CheckoutRun.Summary summary = CheckoutApp.run(options, new PrintStream(console, true, StandardCharsets.UTF_8));

            String output = console.toString(StandardCharsets.UTF_8);
            assertThat(summary.lost()).as("orders that never reached a final state; output:%n%s", output).isZero();
            assertThat(summary.placed()).isEqualTo(ORDERS)
                    .isEqualTo(summary.shipped() + summary.cancelled() + summary.deadLettered());
            assertThat(summary.deadLettered()).as("only the malformed order is dead-lettered").isEqualTo(1);
            assertThat(summary.shipped()).isPositive();
            assertThat(summary.cancelled()).isPositive();
            assertThat(output).contains("dead letter:").contains("in " + namespace + ".requests.orders.dlq, reason undecodable")
                    .contains("transient gateway timeouts");
            assertThat(summary.line()).matches("checkout: placed=300 shipped=\\d+ cancelled=\\d+ dead-lettered=1 lost=0");

            CheckoutLedger ledger = CheckoutLedger.of(databases, namespace);
            assertThat(ledger.orders()).as("orders placed (the malformed command placed none)").isEqualTo(ORDERS - 1);
            assertThat(ledger.payments()).as("one payment per order").isEqualTo(ledger.ordersPaid()).isEqualTo(ORDERS - 1);
            assertThat(ledger.unpublished()).as("every committed event published").isZero();
        } finally {
            CheckoutLedger.dropSchemas(databases, namespace);
            if (broker.containsKey("switchboard.rabbitmq.uri")) {
                RabbitMqCleanup.deleteNamespace(broker.get("switchboard.rabbitmq.uri"), namespace);
            }
        }
    }
}
