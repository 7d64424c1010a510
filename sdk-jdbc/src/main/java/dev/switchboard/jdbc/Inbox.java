package dev.switchboard.jdbc;

import dev.switchboard.EnvelopeHandler;
import dev.switchboard.EventContext;
import dev.switchboard.EventEnvelope;
import dev.switchboard.EventHandler;
import dev.switchboard.jdbc.internal.AutoCommit;
import dev.switchboard.jdbc.internal.InboxTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transactional inbox: handlers whose database writes commit in one transaction with a record of the event in
 * {@code switchboard_inbox}, so that each event id has its effects once per group.
 *
 * <pre>{@code
 * Inbox inbox = Inbox.of(dataSource);
 * messaging.subscribe(Subscription.to("orders").group("billing")
 *     .on(OrderPlaced.class, inbox.transactional((order, ctx, connection) -> bill(connection, order))));
 * }</pre>
 *
 * <p>For each delivery the wrapped handler takes a connection from the data source, turns auto-commit off, inserts
 * the record {@code (context.group(), envelope id)}, runs the handler on the same connection and commits. If the
 * record exists, an earlier delivery's effects committed: the transaction is rolled back, the handler is not called,
 * and the delivery is acknowledged. If the handler throws, its writes and the record are rolled back and the
 * exception goes to the subscription's retry policy, so the retry starts afresh. A delivery of the same event running
 * at the same time waits on the record's unique key until the first transaction ends: it then finds the record (the
 * first committed) or writes it (the first rolled back). The record is kept for the {@linkplain #withRetention
 * retention}, 7 days by default, which must exceed the longest time a broker may redeliver an event; expired records
 * are deleted by {@link #purgeExpired()} or {@link #scheduleHousekeeping(Duration)}.
 *
 * <p>Immutable and thread-safe; one instance may wrap any number of handlers.
 *
 * @since 0.2
 */
public final class Inbox {
    /** How long a record is kept when no {@linkplain #withRetention retention} is set. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

    private static final Logger log = LoggerFactory.getLogger(Inbox.class);

    private final DataSource dataSource;
    private final Duration retention;
    private final InboxTable table;

    private Inbox(DataSource dataSource, Duration retention, InboxTable table) {
        this.dataSource = dataSource;
        this.retention = retention;
        this.table = table;
    }

    /** An inbox on the {@code switchboard_inbox} table of {@code dataSource} (see {@link SwitchboardTables}). */
    public static Inbox of(DataSource dataSource) {
        return new Inbox(Objects.requireNonNull(dataSource, "dataSource"), DEFAULT_RETENTION, new InboxTable());
    }

    /**
     * This inbox, keeping the records it writes for {@code retention} (whole milliseconds). A redelivery after the
     * record was purged is handled again. On MySQL and older MariaDB, {@code TIMESTAMP} columns end in January 2038:
     * now plus the retention must stay before that.
     */
    public Inbox withRetention(Duration retention) {
        if (retention == null || retention.toMillis() <= 0) {
            throw new IllegalArgumentException("retention must be at least a millisecond, was " + retention);
        }
        return new Inbox(dataSource, retention, table);
    }

    /** How long the records this inbox writes are kept. */
    public Duration retention() {
        return retention;
    }

    /** {@code handler} as an {@link EventHandler} that runs it in the transaction of the event's inbox record. */
    public <T> EventHandler<T> transactional(TransactionalHandler<T> handler) {
        Objects.requireNonNull(handler, "handler");
        return (event, context) -> handleOnce(event, context, handler);
    }

    /** The envelope form of {@link #transactional}, for {@link dev.switchboard.Subscription.Builder#onEnvelope}. */
    public EnvelopeHandler transactionalEnvelope(TransactionalHandler<EventEnvelope> handler) {
        Objects.requireNonNull(handler, "handler");
        return (envelope, context) -> handleOnce(envelope, context, handler);
    }

    /**
     * Deletes the records (and {@link JdbcDeduplicationStore} claims) that have expired, at most 1000 rows per
     * statement, each committed, until none is left. Safe to run from several instances at once.
     *
     * @return how many rows it deleted
     * @throws SQLException if the database refuses; what was committed before stays deleted
     */
    public int purgeExpired() throws SQLException {
        return AutoCommit.run(dataSource, connection -> {
            int total = 0;
            int deleted;
            do {
                deleted = table.purgeExpiredBatch(connection);
                total += deleted;
            } while (deleted == InboxTable.PURGE_BATCH);
            return total;
        });
    }

    /**
     * Runs {@link #purgeExpired()} at once and then {@code every} after the end of each run, on a daemon thread of
     * its own, until the returned handle is closed. A failed run is logged and the next one runs as planned.
     */
    public InboxHousekeeping scheduleHousekeeping(Duration every) {
        if (every == null || every.toMillis() <= 0) {
            throw new IllegalArgumentException("the housekeeping interval must be at least a millisecond, was " + every);
        }
        return InboxHousekeeping.start(this, every);
    }

    private <T> void handleOnce(T event, EventContext context, TransactionalHandler<T> handler) throws Exception {
        String eventId = context.envelope().id();
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            Throwable failure = null;
            try {
                if (table.insert(connection, context.group(), eventId, retention)) {
                    handler.handle(event, context, connection);
                    connection.commit();
                } else {
                    connection.rollback();
                    log.debug("{}/{}: event {} already handled (its inbox record exists), acknowledging it",
                            context.topic(), context.group(), eventId);
                }
            } catch (Throwable t) {
                failure = t;
                rollback(connection, t);
                throw t;
            } finally {
                restoreAutoCommit(connection, autoCommit, failure);
            }
        }
    }

    private static void rollback(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void restoreAutoCommit(Connection connection, boolean autoCommit, Throwable failure)
            throws SQLException {
        try {
            connection.setAutoCommit(autoCommit);
        } catch (SQLException e) {
            if (failure == null) {
                throw e;
            }
            failure.addSuppressed(e);
        }
    }
}
