package dev.switchboard.jdbc;

import dev.switchboard.jdbc.internal.Dialect;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The outbox and inbox tables. Production schemas are best managed by a migration tool: the DDL of each database is
 * the class-path resource {@code db/switchboard/<postgresql|mariadb|h2>/V1__switchboard_outbox_inbox.sql}, a Flyway
 * versioned migration as it is. {@link #create(DataSource)} applies the same statements for tests, examples and
 * embedded databases. Stateless; thread-safe.
 *
 * @since 0.2
 */
public final class SwitchboardTables {
    private SwitchboardTables() {
    }

    /**
     * Creates the tables and indexes that do not exist yet, in the database (and default schema) behind
     * {@code dataSource}; idempotent.
     *
     * @throws SQLException if the database is not one of PostgreSQL, MariaDB/MySQL and H2, or refuses a statement
     */
    public static void create(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            create(connection);
        }
    }

    /** Creates the missing tables on {@code connection}, committing each statement where it is in auto-commit. */
    public static void create(Connection connection) throws SQLException {
        Dialect dialect = Dialect.of(connection);
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements(ddl(dialect))) {
                statement.execute(sql);
            }
        }
    }

    /** The DDL script of a database, as shipped in the jar. */
    static String ddl(Dialect dialect) {
        String resource = dialect.ddlResource();
        try (InputStream in = SwitchboardTables.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the switchboard-jdbc jar has no " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
    }

    /** The statements of a script: split at semicolons that end a line, with {@code --} comment lines removed. */
    static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            int comment = line.indexOf("--");
            current.append(comment >= 0 ? line.substring(0, comment) : line).append('\n');
            if (current.toString().strip().endsWith(";")) {
                String sql = current.toString().strip();
                statements.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return statements;
    }
}
