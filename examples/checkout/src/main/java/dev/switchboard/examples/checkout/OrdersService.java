package dev.switchboard.examples.checkout;

import static dev.switchboard.examples.checkout.CheckoutEvents.*;

import dev.switchboard.EventContext;
import dev.switchboard.EventHandler;
import dev.switchboard.Messaging;
import dev.switchboard.Subscription;
import dev.switchboard.jdbc.Inbox;
import dev.switchboard.jdbc.Outbox;
import dev.switchboard.jdbc.OutboxRelay;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Orders: places the orders customers ask for ({@link PlaceOrder}) and cancels those whose payment was declined or
 * refunded. Each command and event is handled in an inbox transaction on the service's own database: the change to
 * its {@code orders} row and the event that announces it (written to the outbox) commit together, or neither does.
 * So a redelivered command places nothing twice, and a committed order is always announced: by this service's
 * {@link OutboxRelay}, even when the process died before publishing it.
 *
 * <p>{@code crashAfterCommit} (the crash demo) halts the JVM right after the transaction of the N-th order it
 * handled committed, before that command is acknowledged. In that mode the relay is not started, so every order
 * committed until then is still in the outbox, unpublished, when the process dies; the next process publishes them.
 * Handlers on other threads go on until the JVM is gone and may commit theirs too: at least N orders are committed.
 */
final class OrdersService implements CheckoutService {
    static final String GROUP = "orders";
    static final String TABLE = "CREATE TABLE IF NOT EXISTS orders (order_id VARCHAR(64) PRIMARY KEY,"
            + " customer_id VARCHAR(64) NOT NULL, amount_cents BIGINT NOT NULL, status VARCHAR(16) NOT NULL)";
    /** The exit status of a process halted by {@code --crash-after-commit}. */
    static final int CRASH_STATUS = 70;

    private final Messaging messaging;
    private final Topics topics;
    private final ServiceDatabase database;
    private final int crashAfterCommit;
    private final PrintStream out;
    private final Outbox outbox;
    private final Inbox inbox;
    private final AtomicInteger handled = new AtomicInteger();
    private OutboxRelay relay;

    /** With {@code crashAfterCommit} 0, a service that runs until closed. */
    OrdersService(Messaging messaging, Topics topics, ServiceDatabase database, int crashAfterCommit, PrintStream out) {
        this.messaging = messaging;
        this.topics = topics;
        this.database = database;
        this.crashAfterCommit = crashAfterCommit;
        this.out = out;
        this.outbox = Outbox.of(messaging);
        this.inbox = Inbox.of(database);
    }

    @Override
    public void start() throws SQLException {
        long waiting = database.outboxRows();
        if (crashAfterCommit > 0) {
            out.printf("orders: no outbox relay (--crash-after-commit %d): the JVM halts after that many committed orders,"
                    + " their OrderPlaced unpublished%n", crashAfterCommit);
        } else {
            relay = OutboxRelay.builder(messaging, database).start();
            if (waiting > 0) {
                out.printf("orders: %d events committed by an earlier process are in the outbox; the relay publishes them%n",
                        waiting);
            }
        }
        EventHandler<PlaceOrder> place = inbox.transactional(this::place);
        messaging.subscribe(Subscription.to(topics.requests()).group(GROUP).concurrency(4)
                .on(PlaceOrder.class, (command, ctx) -> {
                    place.handle(command, ctx);
                    afterCommit(command.orderId());
                }));
        messaging.subscribe(Subscription.to(topics.payments()).group(GROUP).concurrency(4).onlyHandledTypes()
                .on(PaymentDeclined.class, inbox.transactional((declined, ctx, connection) -> cancel(connection,
                        declined.orderId(), "payment declined: " + declined.reason(), ctx)))
                .on(RefundIssued.class, inbox.transactional((refund, ctx, connection) -> cancel(connection,
                        refund.orderId(), "out of stock, refunded " + refund.paymentId(), ctx))));
    }

    private void place(PlaceOrder command, EventContext ctx, Connection connection) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO orders (order_id, customer_id, amount_cents, status) VALUES (?, ?, ?, 'PLACED')")) {
            insert.setString(1, command.orderId());
            insert.setString(2, command.customerId());
            insert.setLong(3, command.amountCents());
            insert.executeUpdate();
        }
        Events.follow(outbox, connection, messaging, topics.orders(), command.orderId(),
                new OrderPlaced(command.orderId(), command.customerId(), command.lines(), command.amountCents()), ctx);
    }

    private void cancel(Connection connection, String orderId, String reason, EventContext ctx) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE orders SET status = 'CANCELLED' WHERE order_id = ?")) {
            update.setString(1, orderId);
            update.executeUpdate();
        }
        Events.follow(outbox, connection, messaging, topics.orders(), orderId, new OrderCancelled(orderId, reason), ctx);
    }

    /** The crash demo: halts (no shutdown hook, no acknowledgement) once the N-th order's transaction committed. */
    private void afterCommit(String orderId) {
        if (crashAfterCommit > 0 && handled.incrementAndGet() == crashAfterCommit) {
            out.printf("orders: CRASH after %d committed orders (the last: %s), before its command was acknowledged and"
                    + " before any OrderPlaced was published: halting the JVM%n", crashAfterCommit, orderId);
            out.flush();
            Runtime.getRuntime().halt(CRASH_STATUS);
        }
    }

    /** Stops the relay: rows it has not published stay in the outbox for the next process. */
    @Override
    public void close() {
        if (relay != null) {
            relay.close();
        }
    }
}
