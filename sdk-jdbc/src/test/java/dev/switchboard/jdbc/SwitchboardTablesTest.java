package dev.switchboard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The shipped DDL on each real database: every table is created, and applying it again changes nothing. */
class SwitchboardTablesTest {
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void createsEveryTableAndIsIdempotent(TestDatabase database) throws Exception {
        DataSource dataSource = database.fresh("tables");
        SwitchboardTables.create(dataSource);

        assertThat(tables(dataSource)).contains("switchboard_outbox", "switchboard_outbox_parked",
                "switchboard_outbox_lease", "switchboard_outbox_relay", "switchboard_inbox");
    }

    @org.junit.jupiter.api.Test
    void splitsAScriptIntoStatementsWithoutComments() {
        assertThat(SwitchboardTables.statements("-- a comment\nCREATE TABLE a (x INT); -- trailing\n\nCREATE INDEX i ON a (x);\n"))
                .containsExactly("CREATE TABLE a (x INT)", "CREATE INDEX i ON a (x)");
    }

    private static List<String> tables(DataSource dataSource) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             ResultSet rs = connection.getMetaData().getTables(connection.getCatalog(), connection.getSchema(), "%",
                     new String[] {"TABLE"})) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }
}
