package dev.switchboard.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits on {@code LISTEN switchboard_outbox} over a connection of its own, at most the safety poll interval each
 * time. A broken connection is dropped and opened again on the next wait; meanwhile the wait is a plain poll. Loaded
 * only on PostgreSQL, whose driver it needs. Used by the relay thread only ({@link #wakeUp()} from any).
 */
final class PostgresNotifications implements RelayWakeup {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresNotifications.class);

    private final DataSource dataSource;
    private final int safetyPollMillis;
    private final RelayWakeup.Polling fallback;
    private Connection listening;

    PostgresNotifications(DataSource dataSource, Duration safetyPoll) {
        this.dataSource = dataSource;
        this.safetyPollMillis = (int) Math.max(1, safetyPoll.toMillis());
        this.fallback = new RelayWakeup.Polling(safetyPoll);
    }

    @Override
    public void await() throws InterruptedException {
        try {
            if (listening == null) {
                listening = dataSource.getConnection();
                listening.setAutoCommit(true);
                try (Statement statement = listening.createStatement()) {
                    statement.execute("LISTEN " + OutboxTable.CHANNEL);
                }
            }
            // returns at the first notification, or after the safety poll; every pending one is consumed
            listening.unwrap(PGConnection.class).getNotifications(safetyPollMillis);
        } catch (SQLException e) {
            LOG.warn("switchboard outbox relay: LISTEN {} failed, polling every {} ms until it works again: {}",
                    OutboxTable.CHANNEL, safetyPollMillis, e.toString());
            closeQuietly();
            fallback.await();
        }
    }

    @Override
    public void wakeUp() {
        fallback.wakeUp();
    }

    @Override
    public void close() {
        fallback.close();
        closeQuietly();
    }

    private void closeQuietly() {
        Connection connection = listening;
        listening = null;
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the LISTEN connection: {}", e.toString());
            }
        }
    }
}
