package dev.switchboard.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Assumptions;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real database for a test: PostgreSQL and MariaDB from {@code TEST_POSTGRES_JDBC_URL} / {@code TEST_MARIADB_JDBC_URL}
 * (set by {@code scripts/test.sh}, which starts the servers where they are absent), H2 in memory. Each
 * {@link #fresh(String)} is an empty schema (PostgreSQL) or database (MariaDB, H2) of its own with the Switchboard
 * tables, so tests never see each other's rows. A missing server skips the test with the reason, or fails it when
 * {@code TEST_REQUIRE_BROKERS=true} (as in CI).
 */
public enum TestDatabase {
    POSTGRESQL("TEST_POSTGRES_JDBC_URL"),
    MARIADB("TEST_MARIADB_JDBC_URL"),
    H2(null);

    /** The JDBC URL of each data source {@link #fresh} made, for a relay in another JVM. */
    private static final Map<DataSource, String> URLS = Collections.synchronizedMap(new IdentityHashMap<>());

    private final String urlVariable;

    TestDatabase(String urlVariable) {
        this.urlVariable = urlVariable;
    }

    /** A data source on a new, empty schema or database named after {@code label}, with the tables created. */
    public DataSource fresh(String label) {
        String name = ("sb_" + label.replaceAll("[^A-Za-z0-9]", "_") + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT);
        try {
            DataSource dataSource = switch (this) {
                case POSTGRESQL -> postgres(name);
                case MARIADB -> mariadb(name);
                case H2 -> h2(name);
            };
            SwitchboardTables.create(dataSource);
            return dataSource;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare a " + this + " database for " + label + ": " + e, e);
        }
    }

    /** The JDBC URL of a data source {@link #fresh} made: the same schema or database, from another JVM. */
    public static String urlOf(DataSource dataSource) {
        String url = URLS.get(dataSource);
        if (url == null) {
            throw new IllegalArgumentException("not a data source of TestDatabase.fresh: " + dataSource);
        }
        return url;
    }

    /** A data source on the schema or database of {@code url} (a URL of {@link #urlOf}). */
    public static DataSource fromUrl(String url) throws SQLException {
        if (url.startsWith("jdbc:postgresql:")) {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL(url);
            return dataSource;
        }
        if (url.startsWith("jdbc:mariadb:")) {
            return new MariaDbDataSource(url);
        }
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(url);
        return dataSource;
    }

    /** The server's JDBC URL (without a schema of our own), or null for H2; skips or fails when not configured. */
    public String serverUrl() {
        if (urlVariable == null) {
            return null;
        }
        String url = System.getenv(urlVariable);
        if (url == null || url.isBlank()) {
            url = System.getProperty(urlVariable.toLowerCase(Locale.ROOT).replace('_', '.'));
        }
        if (url == null || url.isBlank()) {
            String reason = this + " is not configured: set " + urlVariable + " (scripts/test.sh starts the server and sets it)";
            if (Boolean.parseBoolean(System.getenv("TEST_REQUIRE_BROKERS"))) {
                throw new IllegalStateException(reason + "; TEST_REQUIRE_BROKERS=true makes that a failure");
            }
            Assumptions.abort(reason);
        }
        return url;
    }

    private DataSource postgres(String schema) throws SQLException {
        String url = serverUrl();
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url);
        dataSource.setCurrentSchema(schema);
        URLS.put(dataSource, url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
        return dataSource;
    }

    private DataSource mariadb(String database) throws SQLException {
        String url = serverUrl();
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        // jdbc:mariadb://host:port/db?query -> the same server, our database
        String withDatabase = url.replaceFirst("^(jdbc:mariadb://[^/]+/)[^?]*", "$1" + database);
        MariaDbDataSource dataSource = new MariaDbDataSource(withDatabase);
        URLS.put(dataSource, withDatabase);
        return dataSource;
    }

    private static DataSource h2(String database) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1");
        URLS.put(dataSource, dataSource.getURL());
        return dataSource;
    }
}
