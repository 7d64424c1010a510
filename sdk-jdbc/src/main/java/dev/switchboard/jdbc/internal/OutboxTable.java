package dev.switchboard.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.StringJoiner;

/**
 * The SQL on {@code switchboard_outbox} and {@code switchboard_outbox_parked}: writing rows, reading a batch of
 * buckets, deleting confirmed rows and parking refused ones. Each method runs on the connection it is given and
 * leaves its transaction alone, except {@link #park}, which runs in a transaction of its own on an auto-commit
 * connection. Stateless; thread-safe.
 */
public final class OutboxTable {
    /** The PostgreSQL channel {@code Outbox.publish} notifies and the relay listens on. */
    public static final String CHANNEL = "switchboard_outbox";

    private static final String INSERT = "INSERT INTO switchboard_outbox"
            + " (bucket, topic, event_id, partition_key, attributes, data) VALUES (?, ?, ?, ?, ?, ?)";
    private static final String COLUMNS = "id, bucket, topic, event_id, partition_key, attributes, data";

    private OutboxTable() {
    }

    /** Writes {@code rows} (their ids are ignored: the database assigns them in this order). */
    public static void insert(Connection connection, List<OutboxRow> rows) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (OutboxRow row : rows) {
                insert.setInt(1, row.bucket());
                insert.setString(2, row.topic());
                insert.setString(3, row.eventId());
                insert.setString(4, row.partitionKey());
                insert.setString(5, row.attributes());
                insert.setBytes(6, row.data());
                if (rows.size() == 1) {
                    insert.executeUpdate();
                } else {
                    insert.addBatch();
                }
            }
            if (rows.size() > 1) {
                insert.executeBatch();
            }
        }
    }

    /** Sends {@code NOTIFY switchboard_outbox} (PostgreSQL only), delivered when the transaction commits. */
    public static void notifyRelays(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("NOTIFY " + CHANNEL);
        }
    }

    /** The first {@code limit} rows of {@code buckets}, in id order. */
    public static List<OutboxRow> oldest(Connection connection, Collection<Integer> buckets, int limit)
            throws SQLException {
        List<OutboxRow> rows = new ArrayList<>();
        if (buckets.isEmpty()) {
            return rows;
        }
        String sql = "SELECT " + COLUMNS + " FROM switchboard_outbox WHERE bucket IN " + placeholders(buckets.size())
                + " ORDER BY id LIMIT ?";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            int index = 1;
            for (int bucket : buckets) {
                select.setInt(index++, bucket);
            }
            select.setInt(index, limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(new OutboxRow(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getBytes(7)));
                }
            }
        }
        return rows;
    }

    /** Deletes the rows with these ids. */
    public static void delete(Connection connection, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM switchboard_outbox WHERE id IN "
                + placeholders(ids.size()))) {
            for (int i = 0; i < ids.size(); i++) {
                delete.setLong(i + 1, ids.get(i));
            }
            delete.executeUpdate();
        }
    }

    /**
     * Moves a row to {@code switchboard_outbox_parked} with {@code reason}, in one transaction on an auto-commit
     * connection.
     */
    public static void park(Connection connection, OutboxRow row, String reason) throws SQLException {
        connection.setAutoCommit(false);
        try {
            try (PreparedStatement copy = connection.prepareStatement("INSERT INTO switchboard_outbox_parked"
                    + " (id, bucket, topic, event_id, partition_key, attributes, data, created_at, reason)"
                    + " SELECT id, bucket, topic, event_id, partition_key, attributes, data, created_at, ?"
                    + " FROM switchboard_outbox WHERE id = ?")) {
                copy.setString(1, reason.length() > 2000 ? reason.substring(0, 2000) : reason);
                copy.setLong(2, row.id());
                copy.executeUpdate();
            }
            delete(connection, List.of(row.id()));
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** The number of rows waiting in the outbox. */
    public static long count(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM switchboard_outbox")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String placeholders(int count) {
        StringJoiner joiner = new StringJoiner(", ", "(", ")");
        for (int i = 0; i < count; i++) {
            joiner.add("?");
        }
        return joiner.toString();
    }
}
