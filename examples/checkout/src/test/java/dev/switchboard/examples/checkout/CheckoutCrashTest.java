package dev.switchboard.examples.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.testkit.BrokerFixture;
import dev.switchboard.testkit.BrokerFixture.Broker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash demo on a real broker: the driver, payments, inventory and shipping run in this JVM; the orders service
 * runs as a JVM of its own with {@code --crash-after-commit}, halts right after committing its 20th order (no relay
 * ran: every committed {@code OrderPlaced} is still in its outbox, its command unacknowledged), and is started again.
 * No order is lost (the restarted relay publishes the outbox) and none is placed or charged twice (the inbox skips
 * the redelivered commands). RabbitMQ with embedded H2 files, Kafka with PostgreSQL.
 */
class CheckoutCrashTest {
    private static final int ORDERS = 200;
    private static final int CRASH_AFTER = 20;

    @TempDir
    Path dataDir;

    @Test
    void noOrderIsLostOrPlacedTwiceWhenTheOrdersProcessDiesBetweenCommitAndPublishOnRabbitMq() throws Exception {
        crashAndRecover(Map.of("switchboard.broker", "rabbitmq",
                "switchboard.rabbitmq.uri", BrokerFixture.endpoint(Broker.RABBITMQ)), Databases.embedded(dataDir));
    }

    @Test
    void noOrderIsLostOrPlacedTwiceWhenTheOrdersProcessDiesBetweenCommitAndPublishOnKafkaWithPostgreSql() throws Exception {
        crashAndRecover(Map.of("switchboard.broker", "kafka",
                "switchboard.kafka.bootstrap-servers", BrokerFixture.endpoint(Broker.KAFKA)), CheckoutLedger.postgres(dataDir));
    }

    @Test
    void theCrashNeedsTheOrdersServiceWithoutTheDriver() {
        assertThat(CheckoutApp.Options.parse(new String[] {"--service", "orders", "--crash-after-commit", "5"})
                .crashAfterCommit()).isEqualTo(5);
        assertThatThrownBy(() -> CheckoutApp.Options.parse(new String[] {"--crash-after-commit", "5"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without driver");
        assertThatThrownBy(() -> CheckoutApp.Options.parse(new String[] {"--service", "payments", "--crash-after-commit", "5"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("with orders");
        assertThatThrownBy(() -> CheckoutApp.Options.parse(new String[] {"--database-url", "jdbc:h2:mem:x"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:postgresql:");
    }

    private void crashAndRecover(Map<String, String> broker, Databases databases) throws Exception {
        String namespace = "checkout-crash-" + UUID.randomUUID().toString().substring(0, 8);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        CheckoutApp.Options rest = new CheckoutApp.Options(ORDERS, "payments,inventory,shipping,driver", namespace,
                Duration.ofMinutes(3), broker, databases);
        OrdersProcess crashing = null;
        OrdersProcess restarted = null;
        try {
            CompletableFuture<CheckoutRun.Summary> driver = CompletableFuture.supplyAsync(() -> {
                try {
                    return CheckoutApp.run(rest, new PrintStream(console, true, StandardCharsets.UTF_8));
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });

            crashing = OrdersProcess.start("orders-crashing", broker, databases, namespace,
                    "--crash-after-commit", Integer.toString(CRASH_AFTER));
            assertThat(crashing.awaitExit(Duration.ofMinutes(2))).as("output: %s", crashing.output())
                    .isEqualTo(OrdersService.CRASH_STATUS);
            assertThat(crashing.output()).anyMatch(line -> line.startsWith("orders: CRASH after " + CRASH_AFTER + " committed orders"));

            long committed;
            try (ServiceDatabase orders = databases.open(namespace, "orders", OrdersService.TABLE)) {
                committed = orders.count("SELECT COUNT(*) FROM orders");
                assertThat(committed).as("orders committed before the halt (handlers on other threads may have committed"
                        + " theirs)").isBetween((long) CRASH_AFTER, (long) ORDERS - 1);
                assertThat(orders.outboxRows()).as("each committed order's OrderPlaced, none published").isEqualTo(committed);
            }
            assertThat(driver).as("no order can finish while its OrderPlaced sits in the outbox").isNotDone();

            restarted = OrdersProcess.start("orders-restarted", broker, databases, namespace);
            assertThat(restarted.awaitLine(line -> line.contains("committed by an earlier process"), Duration.ofMinutes(1)))
                    .isEqualTo("orders: " + committed + " events committed by an earlier process are in the outbox;"
                            + " the relay publishes them");
            CheckoutRun.Summary summary = driver.get(4, TimeUnit.MINUTES);
            restarted.stop(); // as on Ctrl-C: the relay finishes its batch, and the H2 file is free for the ledger below

            String output = console.toString(StandardCharsets.UTF_8);
            assertThat(summary.lost()).as("output:%n%s", output).isZero();
            assertThat(summary.placed()).isEqualTo(ORDERS);
            assertThat(summary.deadLettered()).as("only the malformed command: no redelivered one failed").isEqualTo(1);
            CheckoutLedger ledger = CheckoutLedger.of(databases, namespace);
            assertThat(ledger.orders()).as("each well-formed order placed once").isEqualTo(ORDERS - 1);
            assertThat(ledger.payments()).as("each order charged once").isEqualTo(ledger.ordersPaid()).isEqualTo(ORDERS - 1);
            assertThat(ledger.unpublished()).isZero();
        } finally {
            for (OrdersProcess process : new OrdersProcess[] {crashing, restarted}) {
                if (process != null) {
                    process.kill();
                }
            }
            CheckoutLedger.dropSchemas(databases, namespace);
            if (broker.containsKey("switchboard.rabbitmq.uri")) {
                RabbitMqCleanup.deleteNamespace(broker.get("switchboard.rabbitmq.uri"), namespace);
            }
        }
    }
}
