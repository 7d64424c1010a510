package dev.switchboard.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * A handler's own table for the tests: one row per payment a handler made. No unique key on purpose, so a handler
 * that ran twice for one event leaves two rows.
 */
final class Payments {
    private Payments() {
    }

    static void createTable(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE payments (event_id VARCHAR(255) NOT NULL, amount_cents BIGINT NOT NULL)");
        }
    }

    /** Records a payment on the handler's connection, inside its transaction. */
    static void insert(Connection connection, String eventId, long amountCents) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO payments (event_id, amount_cents) VALUES (?, ?)")) {
            statement.setString(1, eventId);
            statement.setLong(2, amountCents);
            statement.executeUpdate();
        }
    }

    /** Committed payments of {@code eventId}. */
    static int count(DataSource dataSource, String eventId) {
        return Sql.count(dataSource, "SELECT COUNT(*) FROM payments WHERE event_id = ?", eventId);
    }

    /** Committed inbox records of {@code eventId} for {@code group}. */
    static int inboxRecords(DataSource dataSource, String group, String eventId) {
        return Sql.count(dataSource, "SELECT COUNT(*) FROM switchboard_inbox WHERE group_name = ? AND event_id = ?",
                group, eventId);
    }

    /** Small JDBC helpers for assertions. */
    static final class Sql {
        private Sql() {
        }

        static int count(DataSource dataSource, String sql, String... parameters) {
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    statement.setString(i + 1, parameters[i]);
                }
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(sql, e);
            }
        }
    }
}
