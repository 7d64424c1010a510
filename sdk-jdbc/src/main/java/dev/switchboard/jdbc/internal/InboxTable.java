package dev.switchboard.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The statements on {@code switchboard_inbox}, in the dialect of the first connection they run on. Every time is the
 * database's clock ({@link Dialect#nowPlusMillis()}, bound to 0 for "now"), so the clocks of the service instances
 * do not matter. Thread-safe.
 */
public final class InboxTable {
    /** The most rows one purge statement deletes, so that no statement locks or logs the whole backlog at once. */
    public static final int PURGE_BATCH = 1000;

    private volatile Dialect dialect;

    /**
     * Inserts the row of {@code (group, eventId)}, expiring {@code ttl} from now; false if the row exists. On
     * PostgreSQL a failed insert aborts the connection's transaction: the caller rolls it back. While another
     * transaction holds an uncommitted row of the same key, this waits for it to commit (false) or roll back (true).
     */
    public boolean insert(Connection connection, String group, String eventId, Duration ttl) throws SQLException {
        String sql = "INSERT INTO switchboard_inbox (group_name, event_id, expires_at) VALUES (?, ?, "
                + dialect(connection).nowPlusMillis() + ")";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, group);
            statement.setString(2, eventId);
            statement.setLong(3, ttl.toMillis());
            statement.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (DuplicateKey.is(e)) {
                return false;
            }
            throw e;
        }
    }

    /** Renews the row of {@code (group, eventId)} for {@code ttl} if it has expired; true if it did. */
    public boolean takeOverExpired(Connection connection, String group, String eventId, Duration ttl) throws SQLException {
        String now = dialect(connection).nowPlusMillis();
        String sql = "UPDATE switchboard_inbox SET claimed_at = " + now + ", expires_at = " + now
                + " WHERE group_name = ? AND event_id = ? AND expires_at <= " + now;
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, 0);
            statement.setLong(2, ttl.toMillis());
            statement.setString(3, group);
            statement.setString(4, eventId);
            statement.setLong(5, 0);
            return statement.executeUpdate() == 1;
        }
    }

    /** Deletes the row of {@code (group, eventId)}, if any. */
    public void delete(Connection connection, String group, String eventId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM switchboard_inbox WHERE group_name = ? AND event_id = ?")) {
            statement.setString(1, group);
            statement.setString(2, eventId);
            statement.executeUpdate();
        }
    }

    /** Deletes at most {@link #PURGE_BATCH} expired rows; how many it deleted. */
    public int purgeExpiredBatch(Connection connection) throws SQLException {
        Dialect dialect = dialect(connection);
        String expired = "expires_at <= " + dialect.nowPlusMillis();
        String sql = switch (dialect) {
            // PostgreSQL has no DELETE ... LIMIT
            case POSTGRESQL -> "DELETE FROM switchboard_inbox WHERE (group_name, event_id) IN (SELECT group_name, event_id"
                    + " FROM switchboard_inbox WHERE " + expired + " LIMIT " + PURGE_BATCH + ")";
            // MariaDB and MySQL refuse LIMIT in an IN subquery, but take it on DELETE
            case MARIADB -> "DELETE FROM switchboard_inbox WHERE " + expired + " LIMIT " + PURGE_BATCH;
            case H2 -> "DELETE FROM switchboard_inbox WHERE " + expired + " FETCH FIRST " + PURGE_BATCH + " ROWS ONLY";
        };
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, 0);
            return statement.executeUpdate();
        }
    }

    private Dialect dialect(Connection connection) throws SQLException {
        Dialect known = dialect;
        if (known == null) {
            known = Dialect.of(connection);
            dialect = known;
        }
        return known;
    }
}
