package dev.switchboard.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A real database's data source that can be switched "down" (new connections then fail as a pool's do while the
 * server is away), or made to hand out connections with auto-commit off, as a pool configured so does.
 */
final class SwitchableDataSource implements DataSource {
    private final DataSource database;
    volatile boolean down;
    volatile boolean autoCommitOff;

    SwitchableDataSource(DataSource database) {
        this.database = database;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (down) {
            throw new SQLTransientConnectionException("database down (switched off by the test)", "08001");
        }
        return handedOut(database.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        if (down) {
            throw new SQLTransientConnectionException("database down (switched off by the test)", "08001");
        }
        return handedOut(database.getConnection(username, password));
    }

    private Connection handedOut(Connection connection) throws SQLException {
        if (autoCommitOff) {
            connection.setAutoCommit(false);
        }
        return connection;
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return database.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        database.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        database.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return database.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return database.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return database.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return database.isWrapperFor(type);
    }
}
