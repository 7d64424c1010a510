package dev.switchboard.jdbc;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.jdbc.internal.Dialect;
import dev.switchboard.jdbc.internal.EnvelopeJson;
import dev.switchboard.jdbc.internal.OutboxRow;
import dev.switchboard.jdbc.internal.OutboxTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes events to the transactional outbox ({@code switchboard_outbox}) on the caller's connection, in the caller's
 * transaction, for an {@link OutboxRelay} to publish once that transaction has committed.
 *
 * <pre>{@code
 * Outbox outbox = Outbox.of(messaging);
 * connection.setAutoCommit(false);
 * orders.insert(connection, order);
 * outbox.publish(connection, "orders", new OrderPlaced(order.id()));   // sent only if this commits
 * connection.commit();
 * }</pre>
 *
 * <p>Delivery: an event whose transaction commits is published at least once (a relay that dies between the broker's
 * confirmation and deleting the row publishes it again); one whose transaction rolls back is never published.
 * Events with the same partition key are published in the order of their rows (their insertion order). Events are
 * encoded here, as {@link dev.switchboard.Publisher} would encode them; broker limits (such as a maximum size) are
 * checked only by the relay, which parks a refused row.
 *
 * <p>Never commits, rolls back or changes the connection's auto-commit: on an auto-commit connection each call is its
 * own transaction. On PostgreSQL it also sends {@code NOTIFY switchboard_outbox} in the same transaction, which
 * wakes the relays when it commits. Thread-safe; holds nothing but the {@link Messaging} whose publisher encodes the
 * payloads.
 *
 * @since 0.2
 */
public final class Outbox {
    private final Messaging messaging;

    private Outbox(Messaging messaging) {
        this.messaging = messaging;
    }

    /** An outbox that encodes payloads with {@code messaging}'s codec and type registry. */
    public static Outbox of(Messaging messaging) {
        require(messaging != null, "Outbox.of: messaging must not be null");
        return new Outbox(messaging);
    }

    /**
     * Writes one event to the outbox on {@code connection}.
     *
     * @param event a payload object or an {@link EventEnvelope}, made ready as {@link dev.switchboard.Publisher#prepare}
     *     does: encoded as the publisher encodes it, a missing {@code source} and {@code time} filled in now, and the
     *     caller's trace context (with OpenTelemetry tracing registered) kept so that the relay's publish continues
     *     the caller's trace
     * @return the envelope written, with its id
     * @throws IllegalArgumentException if an argument is null or blank
     * @throws dev.switchboard.MessagingException with {@code INVALID_ARGUMENT} if the payload cannot be encoded
     * @throws SQLException if the database refuses the row (the caller's transaction decides what follows)
     */
    public EventEnvelope publish(Connection connection, String topic, Object event) throws SQLException {
        requireArguments("publish", connection, topic);
        require(event != null, "Outbox.publish: event must not be null");
        EventEnvelope envelope = envelope(event);
        write(connection, List.of(row(topic, envelope)));
        return envelope;
    }

    /**
     * Writes several events to the outbox on {@code connection}, in list order (which is their publish order when
     * they share a partition key); see {@link #publish(Connection, String, Object)}.
     *
     * @return the envelopes written, in the same order
     * @throws IllegalArgumentException if an argument is null or blank, or the list holds a null
     */
    public List<EventEnvelope> publishAll(Connection connection, String topic, List<?> events) throws SQLException {
        requireArguments("publishAll", connection, topic);
        require(events != null, "Outbox.publishAll: events must not be null");
        List<EventEnvelope> envelopes = new ArrayList<>(events.size());
        List<OutboxRow> rows = new ArrayList<>(events.size());
        for (Object event : events) {
            require(event != null, "Outbox.publishAll: events must not contain null");
            EventEnvelope envelope = envelope(event);
            envelopes.add(envelope);
            rows.add(row(topic, envelope));
        }
        if (!rows.isEmpty()) {
            write(connection, rows);
        }
        return envelopes;
    }

    /** The envelope as the publisher would send it, with the caller's trace context for the relay's later publish. */
    private EventEnvelope envelope(Object event) {
        return messaging.publisher().prepare(event);
    }

    private static OutboxRow row(String topic, EventEnvelope envelope) {
        String key = envelope.partitionKey().orElse(null);
        return new OutboxRow(0, OutboxRow.bucketOf(key, envelope.id()), topic, envelope.id(), key,
                EnvelopeJson.attributes(envelope), envelope.payload().sharedArray());
    }

    private static void write(Connection connection, List<OutboxRow> rows) throws SQLException {
        OutboxTable.insert(connection, rows);
        if (Dialect.of(connection) == Dialect.POSTGRESQL) {
            OutboxTable.notifyRelays(connection);
        }
    }

    private static void requireArguments(String call, Connection connection, String topic) {
        require(connection != null, "Outbox." + call + ": connection must not be null");
        require(topic != null && !topic.isBlank(), "Outbox." + call + ": topic must be a non-empty name, was "
                + (topic == null ? "null" : "\"" + topic + "\""));
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
