package dev.switchboard.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The databases the JDBC module supports, with what differs between them: where their DDL lives and how to say
 * "the database's clock plus some milliseconds". Everything else is standard SQL. Immutable.
 */
public enum Dialect {
    POSTGRESQL("postgresql", "CURRENT_TIMESTAMP + (? * INTERVAL '1 millisecond')"),
    MARIADB("mariadb", "TIMESTAMPADD(MICROSECOND, ? * 1000, CURRENT_TIMESTAMP(6))"),
    H2("h2", "DATEADD(MILLISECOND, ?, CURRENT_TIMESTAMP)");

    /** The version of the tables this release reads and writes. */
    public static final int SCHEMA_VERSION = 1;

    private final String folder;
    private final String nowPlusMillis;

    Dialect(String folder, String nowPlusMillis) {
        this.folder = folder;
        this.nowPlusMillis = nowPlusMillis;
    }

    /** The dialect of the database behind {@code connection}, from its product name. */
    public static Dialect of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        String name = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (name.contains("postgres")) {
            return POSTGRESQL;
        }
        if (name.contains("mariadb") || name.contains("mysql")) {
            return MARIADB;
        }
        if (name.equals("h2")) {
            return H2;
        }
        throw new SQLException("switchboard-jdbc supports PostgreSQL, MariaDB/MySQL and H2; this database is \""
                + product + "\"");
    }

    /** The class-path resource holding this database's DDL. */
    public String ddlResource() {
        return "db/switchboard/" + folder + "/V" + SCHEMA_VERSION + "__switchboard_outbox_inbox.sql";
    }

    /** An SQL expression for the database's current time plus the milliseconds bound to its one {@code ?}. */
    public String nowPlusMillis() {
        return nowPlusMillis;
    }
}
