package dev.switchboard.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Runs statements on a connection of its own in auto-commit mode, whatever mode the pool hands it out in. */
public final class AutoCommit {
    private AutoCommit() {
    }

    /** Work on a connection that may throw {@link SQLException}. */
    @FunctionalInterface
    public interface Work<R> {
        R run(Connection connection) throws SQLException;
    }

    /** Takes a connection from {@code dataSource}, runs {@code work} with each statement committed, closes it. */
    public static <R> R run(DataSource dataSource, Work<R> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            if (!autoCommit) {
                connection.setAutoCommit(true);
            }
            try {
                return work.run(connection);
            } finally {
                if (!autoCommit) {
                    connection.setAutoCommit(false);
                }
            }
        }
    }
}
