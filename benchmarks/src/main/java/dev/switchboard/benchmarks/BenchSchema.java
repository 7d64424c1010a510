package dev.switchboard.benchmarks;

import dev.switchboard.jdbc.SwitchboardTables;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A PostgreSQL schema of one benchmark run, with the Switchboard tables in it; {@link #close()} drops it with
 * everything in it. Connections come straight from the driver (no pool): each writer and the relay keep theirs.
 */
final class BenchSchema implements AutoCloseable {
    final String name;
    final DataSource dataSource;
    private final String serverUrl;

    BenchSchema(String serverUrl, String name) throws SQLException {
        this.serverUrl = serverUrl;
        this.name = name;
        execute("CREATE SCHEMA " + name);
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setURL(serverUrl);
        source.setCurrentSchema(name);
        this.dataSource = source;
        try {
            SwitchboardTables.create(dataSource);
        } catch (SQLException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** A server setting ({@code SHOW name}), for the report. */
    String setting(String setting) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             var result = statement.executeQuery("SHOW " + setting)) {
            result.next();
            return result.getString(1);
        }
    }

    @Override
    public void close() throws SQLException {
        execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(serverUrl); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
