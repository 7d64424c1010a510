package dev.switchboard.jdbc.internal;

import java.sql.SQLException;

/** Recognises a unique-key violation on every supported database. Stateless. */
public final class DuplicateKey {
    /** The standard SQLState of a unique violation: PostgreSQL and H2. */
    private static final String UNIQUE_VIOLATION = "23505";
    /** The generic integrity-constraint SQLState MariaDB and MySQL report, refined by their error code. */
    private static final String INTEGRITY_CONSTRAINT = "23000";
    /** MariaDB/MySQL ER_DUP_ENTRY and ER_DUP_ENTRY_WITH_KEY_NAME. */
    private static final int DUP_ENTRY = 1062;
    private static final int DUP_ENTRY_WITH_KEY_NAME = 1586;

    private DuplicateKey() {
    }

    /** Whether {@code e}, or an exception chained to it, says a row with the same unique key exists. */
    public static boolean is(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            String state = s.getSQLState();
            if (UNIQUE_VIOLATION.equals(state)) {
                return true;
            }
            if (INTEGRITY_CONSTRAINT.equals(state)
                    && (s.getErrorCode() == DUP_ENTRY || s.getErrorCode() == DUP_ENTRY_WITH_KEY_NAME)) {
                return true;
            }
        }
        return false;
    }
}
