package dev.switchboard.jdbc;

import dev.switchboard.EventContext;
import java.sql.Connection;

/**
 * Handles one event inside the transaction of its {@link Inbox} record: every write on {@code connection} commits
 * together with the record, or not at all. The handler must not commit, roll back or close {@code connection}, nor
 * change its auto-commit mode; the inbox does. Throwing rolls everything back and asks for a retry, as for
 * {@link dev.switchboard.EventHandler}.
 *
 * @param <T> the payload type
 * @since 0.2
 */
@FunctionalInterface
public interface TransactionalHandler<T> {
    void handle(T event, EventContext context, Connection connection) throws Exception;
}
