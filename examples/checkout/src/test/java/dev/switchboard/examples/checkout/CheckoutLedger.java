package dev.switchboard.examples.checkout;

import dev.switchboard.testkit.BrokerFixture;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Assumptions;

/**
 * What the orders and payments databases of one checkout deployment (a namespace) hold after a run.
 *
 * @param orders rows of the {@code orders} table: orders placed
 * @param payments rows of the {@code payments} table: gateway authorizations recorded (approved or declined)
 * @param ordersPaid distinct orders among the payments
 * @param unpublished rows left in the two outboxes
 */
record CheckoutLedger(long orders, long payments, long ordersPaid, long unpublished) {
    static CheckoutLedger of(Databases databases, String namespace) throws SQLException {
        try (ServiceDatabase orders = databases.open(namespace, "orders", OrdersService.TABLE);
             ServiceDatabase payments = databases.open(namespace, "payments", PaymentsService.TABLE)) {
            return new CheckoutLedger(orders.count("SELECT COUNT(*) FROM orders"),
                    payments.count("SELECT COUNT(*) FROM payments"),
                    payments.count("SELECT COUNT(DISTINCT order_id) FROM payments"),
                    orders.outboxRows() + payments.outboxRows());
        }
    }

    /**
     * The PostgreSQL database of {@code scripts/test.sh} ({@code TEST_POSTGRES_JDBC_URL}); skips the test without it,
     * or fails it when {@code TEST_REQUIRE_BROKERS=true}.
     */
    static Databases postgres(Path dataDir) {
        String url = System.getenv("TEST_POSTGRES_JDBC_URL");
        if (url == null || url.isBlank()) {
            String reason = "PostgreSQL is not configured: set TEST_POSTGRES_JDBC_URL (scripts/test.sh does)";
            if (Boolean.parseBoolean(System.getenv(BrokerFixture.REQUIRE_BROKERS))) {
                throw new IllegalStateException(reason + "; TEST_REQUIRE_BROKERS=true makes that a failure");
            }
            Assumptions.abort(reason);
        }
        return new Databases(url, dataDir);
    }

    /** Drops the PostgreSQL schemas of {@code namespace}'s services, if {@code databases} is PostgreSQL. */
    static void dropSchemas(Databases databases, String namespace) throws SQLException {
        if (databases.postgresUrl() == null) {
            return;
        }
        try (Connection connection = DriverManager.getConnection(databases.postgresUrl());
             Statement statement = connection.createStatement()) {
            for (String service : new String[] {"orders", "payments"}) {
                statement.execute("DROP SCHEMA IF EXISTS " + ServiceDatabase.schemaName(namespace, service) + " CASCADE");
            }
        }
    }
}
