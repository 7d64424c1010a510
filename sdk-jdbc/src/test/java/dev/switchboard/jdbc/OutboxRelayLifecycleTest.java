package dev.switchboard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.Messaging;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** How relays share the buckets, hand them over and count the outbox, on each real database (in-memory broker). */
class OutboxRelayLifecycleTest {
    private Messaging messaging;

    @BeforeEach
    void open() {
        messaging = Messaging.fromConfig(Map.of("switchboard.broker", "in-memory"));
    }

    @AfterEach
    void close() {
        messaging.close();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void twoRelaysShareTheBucketsAndACloseHandsThemOverLongBeforeTheLeaseExpires(TestDatabase database)
            throws Exception {
        DataSource dataSource = database.fresh("handover");
        Duration lease = Duration.ofSeconds(30);
        try (OutboxRelay first = OutboxRelay.builder(messaging, dataSource).leaseTime(lease).start();
             OutboxRelay second = OutboxRelay.builder(messaging, dataSource).leaseTime(lease).start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> first.stats().ownedBuckets() == 32
                    && second.stats().ownedBuckets() == 32);

            long closing = System.nanoTime();
            first.close();
            assertThat(first.stats().ownedBuckets()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> second.stats().ownedBuckets() == 64);
            assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(lease);
        }
    }

    /** A pool may hand connections out with auto-commit off: the relays' lease writes still commit. */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void relaysShareTheBucketsOnAPoolThatHandsOutConnectionsWithAutoCommitOff(TestDatabase database) throws Exception {
        SwitchableDataSource dataSource = new SwitchableDataSource(database.fresh("autocommit_off"));
        dataSource.autoCommitOff = true;
        try (OutboxRelay first = OutboxRelay.builder(messaging, dataSource).start();
             OutboxRelay second = OutboxRelay.builder(messaging, dataSource).start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> first.stats().ownedBuckets() == 32
                    && second.stats().ownedBuckets() == 32);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void pendingCountsTheRowsNotYetRelayed(TestDatabase database) throws Exception {
        DataSource dataSource = database.fresh("pending");
        Outbox outbox = Outbox.of(messaging);
        try (Connection connection = dataSource.getConnection()) {
            outbox.publishAll(connection, "pending-topic", List.of(OutboxWriter.event("a", 0), OutboxWriter.event("a", 1)));
        }
        // started with a database that has rows and no subscriber: the in-memory broker confirms them anyway
        try (OutboxRelay relay = OutboxRelay.builder(messaging, dataSource).start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> relay.pending() == 0);
            assertThat(relay.stats().relayed()).isEqualTo(2);
            assertThat(relay.stats().lastError()).isNull();
        }
    }

    @Test
    void rejectsBadSettingsNamingThem() {
        DataSource dataSource = TestDatabase.H2.fresh("settings");
        assertThatThrownBy(() -> OutboxRelay.builder(null, dataSource)).hasMessageContaining("messaging");
        assertThatThrownBy(() -> OutboxRelay.builder(messaging, null)).hasMessageContaining("dataSource");
        assertThatThrownBy(() -> OutboxRelay.builder(messaging, dataSource).batchSize(0)).hasMessageContaining("batchSize");
        assertThatThrownBy(() -> OutboxRelay.builder(messaging, dataSource).leaseTime(Duration.ZERO))
                .hasMessageContaining("leaseTime");
        assertThatThrownBy(() -> OutboxRelay.builder(messaging, dataSource).idlePollInterval(null))
                .hasMessageContaining("idlePollInterval");
    }
}
