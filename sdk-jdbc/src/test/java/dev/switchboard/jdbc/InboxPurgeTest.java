package dev.switchboard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.jdbc.internal.Dialect;
import dev.switchboard.jdbc.internal.InboxTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Removing expired inbox rows, on demand and on a schedule, on each real database. */
class InboxPurgeTest {
    private static final String COUNT_ALL = "SELECT COUNT(*) FROM switchboard_inbox";
    private static final String COUNT_LIVE = "SELECT COUNT(*) FROM switchboard_inbox WHERE event_id LIKE 'live-%'";

    /** More expired rows than one purge statement deletes, so the purge loops; the live rows stay. */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void purgeExpiredDeletesExactlyTheExpiredRows(TestDatabase database) throws Exception {
        DataSource dataSource = database.fresh("purge");
        int expired = 2 * InboxTable.PURGE_BATCH + 500;
        insertRows(dataSource, "expired-", expired, -60_000);
        insertRows(dataSource, "live-", 3, 3_600_000);
        Inbox inbox = Inbox.of(dataSource);

        assertThat(inbox.purgeExpired()).isEqualTo(expired);
        assertThat(Payments.Sql.count(dataSource, COUNT_ALL)).isEqualTo(3);
        assertThat(Payments.Sql.count(dataSource, COUNT_LIVE)).isEqualTo(3);
        assertThat(inbox.purgeExpired()).isZero();
    }

    /** Housekeeping removes expired rows without a call, including records whose short retention ran out. */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void scheduledHousekeepingDeletesExpiredRowsWithoutACall(TestDatabase database) throws Exception {
        DataSource dataSource = database.fresh("housekeeping");
        Payments.createTable(dataSource);
        insertRows(dataSource, "expired-", 10, -60_000);
        insertRows(dataSource, "live-", 2, 3_600_000);
        Inbox inbox = Inbox.of(dataSource).withRetention(Duration.ofSeconds(1));
        inbox.<Long>transactional((amount, ctx, connection) -> Payments.insert(connection, ctx.envelope().id(), amount))
                .handle(1L, TestContext.of("billing", "short-lived"));
        assertThat(Payments.inboxRecords(dataSource, "billing", "short-lived")).isEqualTo(1);

        try (InboxHousekeeping housekeeping = inbox.scheduleHousekeeping(Duration.ofMillis(100))) {
            await().atMost(Duration.ofSeconds(15)).until(() -> Payments.Sql.count(dataSource, COUNT_ALL) == 2);
        }
        assertThat(Payments.Sql.count(dataSource, COUNT_LIVE)).isEqualTo(2);
        assertThat(Payments.count(dataSource, "short-lived")).as("the handler's own rows are not touched").isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void refusesAnIntervalOrRetentionBelowAMillisecond(TestDatabase database) {
        Inbox inbox = Inbox.of(database.fresh("purge_args"));

        assertThatThrownBy(() -> inbox.scheduleHousekeeping(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> inbox.withRetention(Duration.ofNanos(10))).isInstanceOf(IllegalArgumentException.class);
        assertThat(inbox.retention()).isEqualTo(Inbox.DEFAULT_RETENTION);
    }

    /** Rows expiring {@code offsetMillis} from the database's now. */
    private static void insertRows(DataSource dataSource, String prefix, int count, long offsetMillis) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement(
                    "INSERT INTO switchboard_inbox (group_name, event_id, expires_at) VALUES (?, ?, "
                            + Dialect.of(connection).nowPlusMillis() + ")")) {
                for (int i = 0; i < count; i++) {
                    statement.setString(1, "billing");
                    statement.setString(2, prefix + i);
                    statement.setLong(3, offsetMillis);
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            connection.commit();
        }
    }
}
