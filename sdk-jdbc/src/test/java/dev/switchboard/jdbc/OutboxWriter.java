package dev.switchboard.jdbc;

import dev.switchboard.EventEnvelope;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Writes test events through an {@link Outbox}: event {@code n} of key {@code k} has partition key {@code k} and
 * data {@code "k:n"}, so a consumer can check per-key order. Remembers the ids it committed. Thread-safe as long as
 * each key is written by one thread.
 */
final class OutboxWriter {
    private final Outbox outbox;
    private final DataSource dataSource;
    private final String topic;
    private final Set<String> committed = ConcurrentHashMap.newKeySet();

    OutboxWriter(Outbox outbox, DataSource dataSource, String topic) {
        this.outbox = outbox;
        this.dataSource = dataSource;
        this.topic = topic;
    }

    static EventEnvelope event(String key, int sequence) {
        return EventEnvelope.builder().type("dev.switchboard.test.step").partitionKey(key)
                .data(key + ":" + sequence).build();
    }

    /** Commits, in one transaction, event {@code sequence} of each key, in key order. */
    void commitRound(List<String> keys, int sequence) throws SQLException {
        List<EventEnvelope> events = new ArrayList<>(keys.size());
        keys.forEach(key -> events.add(event(key, sequence)));
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            List<EventEnvelope> written = outbox.publishAll(connection, topic, events);
            connection.commit();
            written.forEach(e -> committed.add(e.id()));
        }
    }

    /** The ids of every event committed so far. */
    Set<String> committed() {
        return Set.copyOf(committed);
    }

    static List<String> keys(String prefix, int count) {
        List<String> keys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            keys.add(prefix + i);
        }
        return keys;
    }
}
