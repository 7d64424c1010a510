package dev.switchboard.examples.checkout;

import dev.switchboard.jdbc.SwitchboardTables;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Locale;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The database of one service, its own: embedded H2 in a file by default ({@code <data dir>/<namespace>/<service>.mv.db},
 * so that a restarted process finds what it committed), or a schema of its own on PostgreSQL
 * ({@code <namespace>_<service>}, created if missing). Holds the Switchboard outbox and inbox tables and the service's
 * table. A plain {@link DataSource} over {@link DriverManager}, a new connection each time (a real service would
 * pool them); the drivers are runtime dependencies.
 *
 * <p>H2 runs with {@code WRITE_DELAY=0}: a commit reaches the file before it returns, so a process that halts right
 * after a commit keeps it (by default H2 writes commits to the file later, {@code WRITE_DELAY} 500 ms, and a halted
 * JVM loses them). The database stays
 * open from {@link #open} to {@link #close()} (one connection held), and only one process at a time can have it
 * open; {@code DB_CLOSE_ON_EXIT=FALSE} leaves closing it to the service, after its relay stopped.
 */
final class ServiceDatabase implements DataSource, AutoCloseable {
    private final String url;
    private final Connection keepOpen;

    private ServiceDatabase(String url, boolean embedded) throws SQLException {
        this.url = url;
        this.keepOpen = embedded ? DriverManager.getConnection(url) : null;
    }

    /**
     * Opens the database of {@code service} and creates, where missing, the Switchboard tables and the service's
     * own ({@code tableDdl}, one {@code CREATE TABLE IF NOT EXISTS}).
     *
     * @param postgresUrl a {@code jdbc:postgresql:} URL, or null for embedded H2 under {@code dataDir}
     */
    static ServiceDatabase open(String postgresUrl, Path dataDir, String namespace, String service, String tableDdl)
            throws SQLException {
        ServiceDatabase database = new ServiceDatabase(postgresUrl == null
                ? "jdbc:h2:file:" + dataDir.resolve(namespace).resolve(service).toAbsolutePath()
                        + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE"
                : postgresSchema(postgresUrl, schemaName(namespace, service)), postgresUrl == null);
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            SwitchboardTables.create(connection);
            statement.execute(tableDdl);
        } catch (SQLException e) {
            database.close();
            throw e;
        }
        return database;
    }

    /** The PostgreSQL schema of a service: {@code checkout_orders} for namespace {@code checkout}. */
    static String schemaName(String namespace, String service) {
        return (namespace + "_" + service).replaceAll("[^A-Za-z0-9_]", "_").toLowerCase(Locale.ROOT);
    }

    private static String postgresSchema(String url, String schema) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
        }
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** Where it is, without credentials. */
    String description() {
        return withoutPassword(url);
    }

    /** {@code url} with the value of its {@code password} parameter, if any, replaced. */
    static String withoutPassword(String url) {
        return url.replaceAll("password=[^&;]*", "password=…");
    }

    /** The number of rows of a query's single {@code COUNT(*)} column, for reports and tests. */
    long count(String sql) throws SQLException {
        try (Connection connection = getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** The events committed to the outbox and not yet published. */
    long outboxRows() throws SQLException {
        return count("SELECT COUNT(*) FROM switchboard_outbox");
    }

    /** Closes an embedded database (once the connections taken from it are closed); nothing on PostgreSQL. */
    @Override
    public void close() throws SQLException {
        if (keepOpen != null) {
            keepOpen.close();
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        return DriverManager.getConnection(url);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return DriverManager.getConnection(url, username, password);
    }

    @Override
    public PrintWriter getLogWriter() {
        return DriverManager.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        DriverManager.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) {
        DriverManager.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() {
        return DriverManager.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging here");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
