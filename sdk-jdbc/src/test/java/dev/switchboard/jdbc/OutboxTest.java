package dev.switchboard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** What {@link Outbox} writes, on each real database, without a relay. */
class OutboxTest {
    private Messaging messaging;
    private Outbox outbox;

    record Shipped(String order) {
    }

    @BeforeEach
    void open() {
        messaging = Messaging.fromConfig(Map.of("switchboard.broker", "in-memory", "switchboard.service-name", "shop"));
        outbox = Outbox.of(messaging);
    }

    @AfterEach
    void close() {
        messaging.close();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void writesOneRowInTheCallersTransactionWithoutCommitting(TestDatabase database) throws Exception {
        DataSource dataSource = database.fresh("outbox_row");
        EventEnvelope written;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            written = outbox.publish(connection, "shipments",
                    messaging.publisher().envelope(new Shipped("o-1")).partitionKey("o-1").build());
            assertThat(connection.getAutoCommit()).isFalse();
            assertThat(count(dataSource)).as("invisible before the caller commits").isZero();
            connection.commit();
        }
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(
                     "SELECT bucket, topic, event_id, partition_key, attributes, data FROM switchboard_outbox")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(Math.floorMod("o-1".hashCode(), 64));
            assertThat(rs.getString(2)).isEqualTo("shipments");
            assertThat(rs.getString(3)).isEqualTo(written.id());
            assertThat(rs.getString(4)).isEqualTo("o-1");
            @SuppressWarnings("unchecked")
            Map<String, Object> attributes = new ObjectMapper().readValue(rs.getString(5), Map.class);
            assertThat(attributes).containsEntry("id", written.id()).containsEntry("source", "/shop")
                    .containsEntry("type", written.type()).containsEntry("specversion", "1.0")
                    .containsEntry("partitionkey", "o-1").containsKeys("time", "datacontenttype");
            assertThat(rs.getBytes(6)).isEqualTo(written.data());
            assertThat(rs.next()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aRollbackLeavesNoRowAndAnEventWithoutKeyIsBucketedByItsId(TestDatabase database) throws Exception {
        DataSource dataSource = database.fresh("outbox_rollback");
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            outbox.publishAll(connection, "shipments", List.of(new Shipped("o-1"), new Shipped("o-2")));
            connection.rollback();
            EventEnvelope kept = outbox.publish(connection, "shipments", new Shipped("o-3"));
            connection.commit();
            assertThat(count(dataSource)).isEqualTo(1);
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT bucket, partition_key FROM switchboard_outbox")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(Math.floorMod(kept.id().hashCode(), 64));
                assertThat(rs.getString(2)).isNull();
            }
        }
    }

    @Test
    void encodesAPayloadAsThePublisherDoesAndFillsSourceAndTimeOfAGivenEnvelope() throws Exception {
        DataSource dataSource = TestDatabase.H2.fresh("outbox_fill");
        try (Connection connection = dataSource.getConnection()) {
            EventEnvelope fromPayload = outbox.publish(connection, "shipments", new Shipped("o-1"));
            EventEnvelope expected = messaging.publisher().envelope(new Shipped("o-1")).build();
            assertThat(fromPayload.type()).isEqualTo(expected.type());
            assertThat(fromPayload.data()).isEqualTo(expected.data());
            assertThat(fromPayload.dataContentType()).isEqualTo(expected.dataContentType());

            EventEnvelope bare = EventEnvelope.builder().type("t.bare").data("x").build();
            EventEnvelope filled = outbox.publish(connection, "shipments", bare);
            assertThat(filled.id()).isEqualTo(bare.id());
            assertThat(filled.source()).isEqualTo("/shop");
            assertThat(filled.time()).isNotNull();
        }
    }

    @Test
    void namesTheBadArgumentAndTheCall() throws Exception {
        DataSource dataSource = TestDatabase.H2.fresh("outbox_args");
        try (Connection connection = dataSource.getConnection()) {
            assertThatThrownBy(() -> outbox.publish(null, "t", new Shipped("o")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Outbox.publish: connection");
            assertThatThrownBy(() -> outbox.publish(connection, " ", new Shipped("o")))
                    .hasMessageContaining("Outbox.publish: topic");
            assertThatThrownBy(() -> outbox.publish(connection, "t", null)).hasMessageContaining("Outbox.publish: event");
            assertThatThrownBy(() -> outbox.publishAll(connection, "t", null))
                    .hasMessageContaining("Outbox.publishAll: events");
            assertThatThrownBy(() -> outbox.publishAll(connection, null, List.of()))
                    .hasMessageContaining("Outbox.publishAll: topic");
            assertThatThrownBy(() -> Outbox.of(null)).hasMessageContaining("Outbox.of: messaging");
        }
        assertThat(count(dataSource)).isZero();
    }

    @Test
    void notifiesListenersOnPostgresqlOnlyWhenTheTransactionCommits() throws Exception {
        DataSource dataSource = TestDatabase.POSTGRESQL.fresh("outbox_notify");
        try (Connection listener = dataSource.getConnection(); Connection writer = dataSource.getConnection()) {
            try (Statement statement = listener.createStatement()) {
                statement.execute("LISTEN switchboard_outbox");
            }
            writer.setAutoCommit(false);
            outbox.publish(writer, "shipments", new Shipped("o-1"));
            PGNotification[] beforeCommit = listener.unwrap(PGConnection.class).getNotifications(300);
            writer.commit();
            PGNotification[] afterCommit = listener.unwrap(PGConnection.class).getNotifications(10_000);
            assertThat(beforeCommit).isEmpty();
            assertThat(afterCommit).extracting(PGNotification::getName).containsExactly("switchboard_outbox");
        }
    }

    private static long count(DataSource dataSource) throws Exception {
        return OutboxRelayContract.pending(dataSource);
    }
}
