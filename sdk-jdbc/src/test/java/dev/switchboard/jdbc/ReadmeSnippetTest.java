package dev.switchboard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.Subscription;
import dev.switchboard.inmemory.InMemoryBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The Java of the README's outbox and inbox section compiles and works (H2, the in-memory broker): it is copied
 * here, and the copy is checked against the README.
 */
class ReadmeSnippetTest {
    private static final Path README = Path.of("../README.md");
    private static final String SECTION = "## Transactional outbox and inbox (`switchboard-jdbc`)";
    private static final Path THIS_SOURCE = Path.of("src/test/java/dev/switchboard/jdbc/ReadmeSnippetTest.java");

    /** The README's event. */
    record OrderPlaced(String id, long cents) {
    }

    @Test
    void theOrderAndItsEventCommitTogetherAndThePaymentIsRecordedOnce() throws Exception {
        DataSource dataSource = TestDatabase.H2.fresh("readme");
        execute(dataSource, "CREATE TABLE orders (id VARCHAR(64) PRIMARY KEY, cents BIGINT NOT NULL)");
        execute(dataSource, "CREATE TABLE payments (order_id VARCHAR(64) PRIMARY KEY, cents BIGINT NOT NULL)");
        List<EventEnvelope> received = new CopyOnWriteArrayList<>();
        try (InMemoryBroker broker = InMemoryBroker.create();
             Messaging messaging = Messaging.builder().properties(broker.properties()).build()) {
            messaging.subscribe(Subscription.to("orders").group("audit").onEnvelope((envelope, ctx) -> received.add(envelope)));
            InboxHousekeeping housekeeping = subscribePayments(messaging, dataSource);
            try (OutboxRelay relay = placeOrder(messaging, dataSource)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> count(dataSource, "payments") == 1 && received.size() == 1);
                assertThat(relay.stats().relayed()).isEqualTo(1);
            } finally {
                housekeeping.close();
            }
        }
        assertThat(received.get(0).partitionKey()).contains("o-42");
        assertThat(count(dataSource, "orders")).isEqualTo(1);
        assertThat(count(dataSource, "switchboard_outbox")).isZero();
    }

    @Test
    void theReadmeShowsTheSnippetsAsTheyAreHere() throws IOException {
        String source = normalized(Files.readString(THIS_SOURCE));
        List<String> blocks = javaBlocks(section(Files.readString(README)));

        assertThat(blocks).hasSize(2);
        assertThat(blocks).allSatisfy(block -> assertThat(source).contains(normalized(block)));
    }

    private static OutboxRelay placeOrder(Messaging messaging, DataSource dataSource) throws SQLException {
        // README begin
        Outbox outbox = Outbox.of(messaging);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO orders (id, cents) VALUES (?, ?)")) {
                insert.setString(1, "o-42");
                insert.setLong(2, 1999);
                insert.executeUpdate();
            }
            outbox.publish(connection, "orders",
                    messaging.publisher().envelope(new OrderPlaced("o-42", 1999)).partitionKey("o-42").build());
            connection.commit(); // the order and its event, or neither
        }
        OutboxRelay relay = OutboxRelay.builder(messaging, dataSource).start(); // close() it when the service stops
        // README end
        return relay;
    }

    private static InboxHousekeeping subscribePayments(Messaging messaging, DataSource dataSource) {
        // README begin
        Inbox inbox = Inbox.of(dataSource); // records kept 7 days: withRetention(...) to change
        messaging.subscribe(Subscription.to("orders").group("payments")
                .on(OrderPlaced.class, inbox.transactional((order, context, connection) -> {
                    try (PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO payments (order_id, cents) VALUES (?, ?)")) {
                        insert.setString(1, order.id());
                        insert.setLong(2, order.cents());
                        insert.executeUpdate();
                    }
                })));
        InboxHousekeeping housekeeping = inbox.scheduleHousekeeping(Duration.ofHours(1)); // deletes expired records
        // README end
        return housekeeping;
    }

    private static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long count(DataSource dataSource, String table) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The README from {@link #SECTION} to the next heading of its level. */
    private static String section(String readme) {
        int start = readme.indexOf(SECTION);
        assertThat(start).as("the README has the section " + SECTION).isNotNegative();
        Matcher next = Pattern.compile("\n## ").matcher(readme);
        return next.find(start + SECTION.length()) ? readme.substring(start, next.start()) : readme.substring(start);
    }

    private static List<String> javaBlocks(String markdown) {
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    /** Whitespace runs as one space: indentation differs between the README and a method body. */
    private static String normalized(String text) {
        return text.replaceAll("\\s+", " ").trim();
    }
}
