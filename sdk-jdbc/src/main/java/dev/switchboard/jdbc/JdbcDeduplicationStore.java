package dev.switchboard.jdbc;

import dev.switchboard.DeduplicationStore;
import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;
import dev.switchboard.jdbc.internal.AutoCommit;
import dev.switchboard.jdbc.internal.InboxTable;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * A {@link DeduplicationStore} on the {@code switchboard_inbox} table, shared by every instance of a group:
 * {@code Messaging.builder().deduplicationStore(JdbcDeduplicationStore.of(dataSource))} with
 * {@link dev.switchboard.Subscription.Builder#deduplicate(Duration)}.
 *
 * <p>{@link #tryClaim} inserts a claim expiring {@code ttl} from now (the database's clock) and commits it at once;
 * a claim that exists and has expired is taken over, one that has not makes the delivery a duplicate.
 * {@link #release} deletes the claim. A claim's {@code group_name} is {@code dedup:<group>}, apart from the
 * {@link Inbox} records of the group, so that a subscription may use both without a claim passing for a record.
 * Expired claims are removed by {@link Inbox#purgeExpired()}.
 *
 * <p><b>Limit:</b> the claim commits before the handler runs, not with its effects. A process killed in the handler
 * leaves a claim that no one releases, and the broker's redelivery is skipped as a duplicate until the claim
 * expires: {@code ttl} is the price of a crash. For a handler that writes to the database use
 * {@link Inbox#transactional} instead, whose record commits in the handler's own transaction.
 *
 * <p>A database error is thrown as a {@link MessagingException} ({@link ErrorCode#UNAVAILABLE}): the core then fails the
 * attempt before the handler runs (a failed claim) or keeps the delivery for a local retry (a failed release), so
 * an event is neither handled unclaimed nor skipped. Thread-safe; uses one pooled connection per call.
 *
 * @since 0.2
 */
public final class JdbcDeduplicationStore implements DeduplicationStore {
    /** The prefix that keeps claims apart from {@link Inbox} records of the same group in the shared table. */
    private static final String CLAIM_PREFIX = "dedup:";

    private final DataSource dataSource;
    private final InboxTable table = new InboxTable();

    private JdbcDeduplicationStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A store on the {@code switchboard_inbox} table of {@code dataSource} (see {@link SwitchboardTables}). */
    public static JdbcDeduplicationStore of(DataSource dataSource) {
        return new JdbcDeduplicationStore(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /**
     * True if this call claimed {@code eventId} for {@code group} (a new claim, or an expired one taken over).
     *
     * @throws MessagingException ({@link ErrorCode#UNAVAILABLE}) if the database failed
     */
    @Override
    public boolean tryClaim(String group, String eventId, Duration ttl) {
        String key = CLAIM_PREFIX + group;
        try {
            return AutoCommit.run(dataSource, connection -> table.insert(connection, key, eventId, ttl)
                    || table.takeOverExpired(connection, key, eventId, ttl));
        } catch (SQLException e) {
            throw new MessagingException(ErrorCode.UNAVAILABLE, group + ": cannot claim event " + eventId
                    + " in switchboard_inbox: " + e.getMessage(), e);
        }
    }

    /**
     * Deletes the claim of {@code eventId} for {@code group}, so that the redelivery is handled.
     *
     * @throws MessagingException ({@link ErrorCode#UNAVAILABLE}) if the database failed
     */
    @Override
    public void release(String group, String eventId) {
        try {
            AutoCommit.run(dataSource, connection -> {
                table.delete(connection, CLAIM_PREFIX + group, eventId);
                return null;
            });
        } catch (SQLException e) {
            throw new MessagingException(ErrorCode.UNAVAILABLE, group + ": cannot release the claim of event " + eventId
                    + " in switchboard_inbox: " + e.getMessage(), e);
        }
    }
}
